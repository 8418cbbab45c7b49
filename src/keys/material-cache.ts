import type { SecretBytes } from '../crypto/secret-bytes.js';

/** How many unwrapped material versions stay in memory unless the caller chooses otherwise. */
export const DEFAULT_MATERIAL_CACHE_CAPACITY = 10_000;

/**
 * A bounded least-recently-used cache of unwrapped key material, by material id, so the hot path (Encrypt,
 * Decrypt) does not unwrap with the root key on every request.
 *
 * - Recency is the `Map`'s insertion order: a hit moves the entry to the end, eviction takes the first.
 * - The cache owns what it holds: evicted, replaced, deleted and cleared entries are wiped. A caller must use a
 *   secret it got from the cache synchronously, and never keep it across an `await`: by then it may be wiped.
 *   (The AEAD refuses an all-zero key, so a wiped secret fails loudly instead of encrypting under zeros.)
 * - Material versions are immutable, so nothing is ever stale; `delete` exists for key deletion only.
 * - `getOrLoad` runs one load per material id at a time, however many requests miss concurrently.
 *
 * @example
 *   const cache = new MaterialCache();
 *   const material = await cache.getOrLoad(materialId, async () =>
 *     rootKey.unwrap(record.wrapped, buildMaterialAad(record.keyArn, record.id)));
 */
export class MaterialCache {
  readonly capacity: number;
  readonly #entries = new Map<string, SecretBytes>();
  readonly #loading = new Map<string, Promise<SecretBytes>>();

  constructor(capacity: number = DEFAULT_MATERIAL_CACHE_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError('material cache capacity must be a positive integer');
    }
    this.capacity = capacity;
  }

  /** How many material versions are cached now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached material, marked most recently used; undefined on a miss. */
  get(materialId: string): SecretBytes | undefined {
    const secret = this.#entries.get(materialId);
    if (secret === undefined) return undefined;
    this.#entries.delete(materialId);
    this.#entries.set(materialId, secret);
    return secret;
  }

  /**
   * Caches `secret` under `materialId`, taking ownership of it. Replacing an entry wipes the old secret (unless
   * it is the same object); inserting beyond capacity evicts and wipes the least recently used entry.
   */
  set(materialId: string, secret: SecretBytes): void {
    const previous = this.#entries.get(materialId);
    if (previous !== undefined) {
      this.#entries.delete(materialId);
      if (previous !== secret) previous.wipe();
    }
    this.#entries.set(materialId, secret);
    while (this.#entries.size > this.capacity) this.#evictOldest();
  }

  /**
   * The cached material, or the result of `load` (then cached). Concurrent calls for one id share one load.
   * A failed load caches nothing, and the next call tries again. A load that finishes after `delete` or
   * `clear` for its id is not cached; its waiting callers still receive it.
   */
  getOrLoad(materialId: string, load: () => Promise<SecretBytes>): Promise<SecretBytes> {
    const cached = this.get(materialId);
    if (cached !== undefined) return Promise.resolve(cached);
    const pending = this.#loading.get(materialId);
    if (pending !== undefined) return pending;

    // `then(load)` turns a synchronous throw of `load` into a rejection, so every outcome settles `loading`.
    const loading: Promise<SecretBytes> = Promise.resolve()
      .then(load)
      .then(
        (secret) => {
          if (this.#finishLoad(materialId, loading)) this.set(materialId, secret);
          return secret;
        },
        (error: unknown) => {
          this.#finishLoad(materialId, loading);
          throw error;
        },
      );
    this.#loading.set(materialId, loading);
    return loading;
  }

  /** Forgets and wipes one material version (its key was deleted). */
  delete(materialId: string): void {
    this.#loading.delete(materialId);
    const secret = this.#entries.get(materialId);
    if (secret === undefined) return;
    this.#entries.delete(materialId);
    secret.wipe();
  }

  /** Forgets and wipes everything (shutdown, tests). */
  clear(): void {
    this.#loading.clear();
    for (const secret of this.#entries.values()) secret.wipe();
    this.#entries.clear();
  }

  /**
   * Unregisters `loading` if it is still the registered load of `materialId`, and says whether it was: one
   * that `delete` or `clear` unregistered (or a newer load replaced) must not fill the cache.
   */
  #finishLoad(materialId: string, loading: Promise<SecretBytes>): boolean {
    if (this.#loading.get(materialId) !== loading) return false;
    this.#loading.delete(materialId);
    return true;
  }

  #evictOldest(): void {
    const oldest = this.#entries.entries().next();
    if (oldest.done === true) return;
    const [materialId, secret] = oldest.value;
    this.#entries.delete(materialId);
    secret.wipe();
  }
}
