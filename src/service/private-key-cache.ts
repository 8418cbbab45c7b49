import type { PrivateKeyHandle } from '../crypto/asymmetric/index.js';
import { BoundedCache } from '../keys/bounded-cache.js';

/** How many parsed private keys stay in memory unless the caller chooses otherwise. */
export const DEFAULT_PRIVATE_KEY_CACHE_CAPACITY = 2_000;

/**
 * A bounded least-recently-used cache of parsed asymmetric private keys, by key ARN and material id
 * (`materialCacheKey`), beside the `MaterialCache` of raw secrets. Parsing PKCS#8 (and expanding an ML-DSA
 * seed) costs far more than a signature, so Sign, Decrypt and DeriveSharedSecret reuse the parsed handle;
 * the unwrapped PKCS#8 bytes themselves are wiped as soon as they are parsed and never cached.
 *
 * Deleted and cleared ML-DSA handles have their expanded secret wiped (OpenSSL `KeyObject`s cannot be wiped
 * from JavaScript; dropping them is all there is). Evicted and replaced handles are only dropped: a request may
 * hold one across a microtask, and a wiped ML-DSA key would sign garbage.
 *
 * @example
 *   const handle = await cache.getOrLoad(materialCacheKey(key.arn, materialId), () => unwrapAndParse());
 */
export class PrivateKeyCache extends BoundedCache<PrivateKeyHandle> {
  constructor(capacity: number = DEFAULT_PRIVATE_KEY_CACHE_CAPACITY) {
    super(
      capacity,
      (handle, reason) => {
        if ((reason === 'deleted' || reason === 'cleared') && handle.backend === 'ml-dsa') handle.secretKey.wipe();
      },
      'private key cache',
    );
  }
}
