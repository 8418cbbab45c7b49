import type { SecretBytes } from '../crypto/secret-bytes.js';
import { BoundedCache } from './bounded-cache.js';

/** How many unwrapped material versions stay in memory unless the caller chooses otherwise. */
export const DEFAULT_MATERIAL_CACHE_CAPACITY = 10_000;

/**
 * A bounded least-recently-used cache of unwrapped key material, by key ARN and material id, so the hot path
 * (Encrypt, Decrypt) does not unwrap with the root key on every request.
 *
 * - The cache owns what it holds: evicted, replaced, deleted and cleared entries are wiped. A caller must use a
 *   secret it got from the cache synchronously, and never keep it across an `await`: by then it may be wiped.
 *   (The AEAD refuses an all-zero key, so a wiped secret fails loudly instead of encrypting under zeros.)
 * - Material versions are immutable, so nothing is ever stale; `delete` exists for key deletion only.
 *
 * @example
 *   const cache = new MaterialCache();
 *   const material = await cache.getOrLoad(cacheKey, async () =>
 *     rootKey.unwrap(record.wrapped, buildMaterialAad(record.keyArn, record.id)));
 */
export class MaterialCache extends BoundedCache<SecretBytes> {
  constructor(capacity: number = DEFAULT_MATERIAL_CACHE_CAPACITY) {
    super(capacity, (secret) => secret.wipe(), 'material cache');
  }
}
