import type { Tag as WireTag } from '../generated/kms-shapes.js';
import type { Tag } from '../../keys/key.js';

export function fromWireTags(tags: readonly WireTag[] | undefined): Tag[] {
  return (tags ?? []).map((tag) => ({ key: tag.TagKey, value: tag.TagValue }));
}

export function toWireTags(tags: readonly Tag[]): WireTag[] {
  return tags.map((tag) => ({ TagKey: tag.key, TagValue: tag.value }));
}
