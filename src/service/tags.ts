import { TagException } from '../errors.js';
import type { Tag } from '../keys/key.js';

/** AWS KMS allows 50 tags per key. */
export const MAX_TAGS_PER_KEY = 50;

/**
 * Checks tags a request adds to a key that already has `existing`, and returns the key's tags afterwards:
 * a tag whose key already exists replaces its value, as TagResource does.
 */
export function validateNewTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const tag of added) {
    if (tag.key.startsWith('aws:')) {
      throw new TagException(`Tags beginning with aws: are reserved: ${tag.key}`);
    }
    if (seen.has(tag.key)) throw new TagException(`Duplicate tag keys: ${tag.key}`);
    seen.add(tag.key);
  }
  const merged = existing.filter((tag) => !seen.has(tag.key)).concat(added);
  if (merged.length > MAX_TAGS_PER_KEY) {
    throw new TagException(`A key can have at most ${MAX_TAGS_PER_KEY} tags.`);
  }
  return merged;
}

export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const removed = new Set(keys);
  return existing.filter((tag) => !removed.has(tag.key));
}
