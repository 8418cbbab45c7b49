import { CacheCounter, type CacheCounts } from '../observability/cache-counter.js';
import { evictLeastRecentlyUsed } from './least-recently-used.js';

/** Why an entry leaves a {@link BoundedCache}: its owner decides what each means for the value (wipe or drop). */
export type DropReason = 'evicted' | 'replaced' | 'deleted' | 'cleared';

/**
 * A bounded least-recently-used cache whose misses load at most once per key at a time — the shape of every
 * cache of unwrapped key material and parsed keys.
 *
 * - Recency is the `Map`'s insertion order: a hit moves the entry to the end, eviction takes the first ones
 *   (`evictLeastRecentlyUsed`).
 * - `onDrop` sees every value that leaves (not one replaced by itself), so an owner can wipe secrets.
 * - `getOrLoad` shares one load among concurrent misses. A failed load caches nothing. A load that finishes
 *   after `delete` or `clear` of its key is not cached; its waiting callers still receive it.
 */
export class BoundedCache<V> {
  readonly capacity: number;
  readonly #entries = new Map<string, V>();
  readonly #loading = new Map<string, Promise<V>>();
  readonly #onDrop: (value: V, reason: DropReason) => void;
  readonly #counts = new CacheCounter();

  constructor(capacity: number, onDrop: (value: V, reason: DropReason) => void, what = 'cache') {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`${what} capacity must be a positive integer`);
    }
    this.capacity = capacity;
    this.#onDrop = onDrop;
  }

  /** How many entries are cached now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * For `/metrics`: a hit is a value `get` or `getOrLoad` found cached; a miss is one `getOrLoad` had to load (or
   * wait for). Callers look with `get` first and load with `getOrLoad` after: counted so, a miss counts once.
   */
  get counts(): CacheCounts {
    return this.#counts;
  }

  /** The cached value, marked most recently used; undefined on a miss. */
  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#counts.hits++;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Caches `value`, taking ownership of it; beyond capacity the least recently used entries are evicted. */
  set(key: string, value: V): void {
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      if (previous !== value) this.#onDrop(previous, 'replaced');
    }
    this.#entries.set(key, value);
    evictLeastRecentlyUsed(this.#entries, this.capacity, (_, evicted) => this.#onDrop(evicted, 'evicted'));
  }

  /** The cached value, or the result of `load` (then cached). Concurrent misses of one key share one load. */
  getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    this.#counts.misses++;
    const pending = this.#loading.get(key);
    if (pending !== undefined) return pending;
    // `then(load)` turns a synchronous throw of `load` into a rejection, so every outcome settles `loading`.
    const loading: Promise<V> = Promise.resolve()
      .then(load)
      .then(
        (value) => {
          if (this.#finishLoad(key, loading)) this.set(key, value);
          return value;
        },
        (error: unknown) => {
          this.#finishLoad(key, loading);
          throw error;
        },
      );
    this.#loading.set(key, loading);
    return loading;
  }

  /** Forgets one entry (its key was deleted). */
  delete(key: string): void {
    this.#loading.delete(key);
    const value = this.#entries.get(key);
    if (value === undefined) return;
    this.#entries.delete(key);
    this.#onDrop(value, 'deleted');
  }

  /** Forgets everything (shutdown, tests). */
  clear(): void {
    this.#loading.clear();
    const values = [...this.#entries.values()];
    this.#entries.clear();
    for (const value of values) this.#onDrop(value, 'cleared');
  }

  /** Unregisters `loading` if it is still the registered load of `key`, and says whether it was. */
  #finishLoad(key: string, loading: Promise<V>): boolean {
    if (this.#loading.get(key) !== loading) return false;
    this.#loading.delete(key);
    return true;
  }
}
