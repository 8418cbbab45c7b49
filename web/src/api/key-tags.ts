import { ListResourceTagsCommand, TagResourceCommand, UntagResourceCommand, type KMSClient, type Tag } from '@aws-sdk/client-kms';
import { collectPages } from './key-pages';

/** A tag as a form holds it, before it is checked. */
export interface TagDraft {
  readonly key: string;
  readonly value: string;
}

/**
 * The tags a form's rows describe, in the wire's shape, or the first problem with them in words (what AWS would
 * refuse, said before asking it). Rows left entirely blank are ignored.
 *
 * @example
 *   tagsOf([{ key: 'team', value: 'payments' }, { key: '', value: '' }]); // { tags: [{ TagKey: 'team', TagValue: 'payments' }] }
 *   tagsOf([{ key: '', value: 'x' }]);                                  // { problem: 'Tag 1: a tag needs a key.' }
 */
export function tagsOf(drafts: readonly TagDraft[]): { tags: Tag[]; problem?: undefined } | { problem: string } {
  const tags: Tag[] = [];
  for (const [index, draft] of drafts.entries()) {
    const key = draft.key.trim();
    if (key === '' && draft.value === '') continue;
    const problem = tagProblem(key, draft.value, tags);
    if (problem) return { problem: `Tag ${index + 1}: ${problem}` };
    tags.push({ TagKey: key, TagValue: draft.value });
  }
  return { tags };
}

/** AWS's rules for one tag: a key of 1–128 characters, not `aws:`…, unique; a value of at most 256 characters. */
export function tagProblem(key: string, value: string, others: readonly Tag[] = []): string | undefined {
  if (key === '') return 'a tag needs a key.';
  if (key.length > 128) return 'a tag key is at most 128 characters long.';
  if (value.length > 256) return 'a tag value is at most 256 characters long.';
  if (key.toLowerCase().startsWith('aws:')) return 'tag keys beginning with aws: are reserved for AWS.';
  if (others.some((other) => other.TagKey === key)) return `the key ${key} is used twice.`;
  return undefined;
}

/** The key's tags (ListResourceTags), every page of them. */
export function listKeyTags(kms: KMSClient, keyId: string): Promise<Tag[]> {
  return collectPages(async (marker) => {
    const page = await kms.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: 50, ...(marker ? { Marker: marker } : {}) }));
    return { items: page.Tags ?? [], ...(page.Truncated && page.NextMarker ? { nextMarker: page.NextMarker } : {}) };
  });
}

/** Adds a tag, or replaces the value of the tag with that key (TagResource). */
export async function tagKey(kms: KMSClient, keyId: string, tag: Tag): Promise<void> {
  await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [tag] }));
}

export async function untagKey(kms: KMSClient, keyId: string, tagKey: string): Promise<void> {
  await kms.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: [tagKey] }));
}
