import type { PrivateKeyHandle } from '../crypto/asymmetric/index.js';

/** How many parsed private keys stay in memory unless the caller chooses otherwise. */
export const DEFAULT_PRIVATE_KEY_CACHE_CAPACITY = 2_000;

/**
 * A bounded least-recently-used cache of parsed asymmetric private keys, by key ARN and material id
 * (`materialCacheKey`), beside the `MaterialCache` of raw secrets. Parsing PKCS#8 (and expanding an ML-DSA
 * seed) costs far more than a signature, so Sign, Decrypt and DeriveSharedSecret reuse the parsed handle;
 * the unwrapped PKCS#8 bytes themselves are wiped as soon as they are parsed and never cached.
 *
 * - Deleted and cleared ML-DSA handles have their expanded secret wiped (OpenSSL `KeyObject`s cannot be
 *   wiped from JavaScript; dropping them is all there is). Evicted and replaced handles are only dropped:
 *   a request may hold one across a microtask, and a wiped ML-DSA key would sign garbage.
 * - `getOrLoad` runs one load per entry at a time, however many requests miss concurrently.
 * - Material versions are immutable, so an entry is never stale; `delete` exists for key deletion.
 *
 * @example
 *   const handle = await cache.getOrLoad(materialCacheKey(key.arn, materialId), () => unwrapAndParse());
 */
export class PrivateKeyCache {
  readonly capacity: number;
  readonly #entries = new Map<string, PrivateKeyHandle>();
  readonly #loading = new Map<string, Promise<PrivateKeyHandle>>();

  constructor(capacity: number = DEFAULT_PRIVATE_KEY_CACHE_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError('private key cache capacity must be a positive integer');
    }
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached handle, marked most recently used; undefined on a miss. */
  get(cacheKey: string): PrivateKeyHandle | undefined {
    const handle = this.#entries.get(cacheKey);
    if (handle === undefined) return undefined;
    this.#entries.delete(cacheKey);
    this.#entries.set(cacheKey, handle);
    return handle;
  }

  /** Caches a handle (a new key's, straight from generation), evicting the least recently used beyond capacity. */
  set(cacheKey: string, handle: PrivateKeyHandle): void {
    this.#entries.delete(cacheKey);
    this.#entries.set(cacheKey, handle);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  /** The cached handle, or the result of `load` (then cached). Concurrent misses share one load. */
  getOrLoad(cacheKey: string, load: () => Promise<PrivateKeyHandle>): Promise<PrivateKeyHandle> {
    const cached = this.get(cacheKey);
    if (cached !== undefined) return Promise.resolve(cached);
    const pending = this.#loading.get(cacheKey);
    if (pending !== undefined) return pending;
    const loading: Promise<PrivateKeyHandle> = Promise.resolve()
      .then(load)
      .then(
        (handle) => {
          if (this.#loading.get(cacheKey) === loading) {
            this.#loading.delete(cacheKey);
            this.set(cacheKey, handle);
          }
          return handle;
        },
        (error: unknown) => {
          if (this.#loading.get(cacheKey) === loading) this.#loading.delete(cacheKey);
          throw error;
        },
      );
    this.#loading.set(cacheKey, loading);
    return loading;
  }

  /** Forgets one material version (its key was deleted). */
  delete(cacheKey: string): void {
    this.#loading.delete(cacheKey);
    const handle = this.#entries.get(cacheKey);
    if (handle === undefined) return;
    this.#entries.delete(cacheKey);
    forget(handle);
  }

  /** Forgets everything (node shutdown, tests). */
  clear(): void {
    this.#loading.clear();
    for (const handle of this.#entries.values()) forget(handle);
    this.#entries.clear();
  }
}

function forget(handle: PrivateKeyHandle): void {
  if (handle.backend === 'ml-dsa') handle.secretKey.wipe();
}
