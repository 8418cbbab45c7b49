import { TagException } from '../errors.js';
import type { Tag } from '../keys/key.js';

/** AWS KMS allows 50 tags per key. */
export const MAX_TAGS_PER_KEY = 50;
/** AWS reserves this prefix in any letter case: `AWS:owner` is refused like `aws:owner`. */
const RESERVED_PREFIX = 'aws:';

/**
 * Checks tags a request adds to a key that already has `existing` (none for CreateKey), and returns the key's
 * tags afterwards: a tag whose key already exists gets the new value in its place, new keys follow in the
 * order given, as TagResource does. The messages are AWS's, which name no tag.
 *
 * @example
 *   validateNewTags([{ key: 'a', value: '1' }], [{ key: 'a', value: '2' }]); // [{ key: 'a', value: '2' }]
 *   validateNewTags([], [{ key: 'AWS:owner', value: 'x' }]); // TagException: Tags beginning with aws: are reserved
 */
export function validateNewTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const values = new Map<string, string>();
  for (const tag of added) {
    if (tag.key.toLowerCase().startsWith(RESERVED_PREFIX)) {
      throw new TagException('Tags beginning with aws: are reserved');
    }
    if (values.has(tag.key)) throw new TagException('Duplicate tag keys');
    values.set(tag.key, tag.value);
  }
  const updated = existing.map((tag) => ({ key: tag.key, value: values.get(tag.key) ?? tag.value }));
  const kept = new Set(existing.map((tag) => tag.key));
  const merged = updated.concat(added.filter((tag) => !kept.has(tag.key)));
  if (merged.length > MAX_TAGS_PER_KEY) throw new TagException('Too many tags');
  return merged;
}

export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const removed = new Set(keys);
  return existing.filter((tag) => !removed.has(tag.key));
}
