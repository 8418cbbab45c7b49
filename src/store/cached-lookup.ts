import type { KeyScope } from '../keys/key.js';
import { CacheCounter } from '../observability/cache-counter.js';

/**
 * A number that changes whenever anything in the key store may have changed, read by a cache before it answers:
 * SQLite's from the file's own counters (`sqlite/change-generation.ts`), PostgreSQL's from a counter row that every
 * write advances (`postgres/change-counter.ts`). Each backend says how fresh its reading is; both promise that a
 * commit acknowledged before a request arrived has moved what that request's lookups read (PostgreSQL once the
 * request has called `Store.catchUp`).
 */
export interface ChangeGeneration {
  /** The generation now: a number, or a promise of one when it must first be read from the database. */
  current(): number | Promise<number>;
  /** Reads the generation afresh next time (a statement failed: someone else changed the database). */
  forget(): void;
  /**
   * Told after every other store call of this process succeeded: it may have written. A backend whose generation
   * already counts this process's own writes in place (SQLite's `total_changes()`) has nothing to do.
   */
  calledStore(): void;
}

/** How one cached method names its entry, from its arguments. */
export type CacheKeyOf = (...args: never[]) => string;

/**
 * Wraps a repository so that the lookups named in `cached` (method → its cache key) are answered from memory while
 * the store's generation is unchanged. The whole cache is dropped when the generation moves, so a change made by
 * any process or node is seen by the next lookup. Bounded; every other method passes through, and tells the
 * generation it was called (it may have written) or, when it failed, to read afresh.
 *
 * A value is kept only under the generation read *before* it was looked up, and only while no other lookup has
 * moved the cache on: a value read after a change may be kept under the older generation (it is dropped with it),
 * but a value read before a change is never kept under the newer one.
 *
 * Its lookups count as hits or misses in `counts` (shared by a store's repositories, reported as one cache).
 *
 * @example
 *   const keys = withCachedLookups(new SqliteKeyRepository(db), generation, {
 *     get: (scope: KeyScope, id: string) => `${scope.accountId}/${scope.region}/${id}`,
 *   });
 */
export function withCachedLookups<R extends object>(
  repository: R,
  generation: ChangeGeneration,
  cached: Partial<Record<keyof R & string, CacheKeyOf>>,
  { capacity = 10_000, counts = new CacheCounter() }: { readonly capacity?: number; readonly counts?: CacheCounter } = {},
): R {
  const cache = new Map<string, unknown>();
  let cachedGeneration = -1;
  const lookup = (method: string, cacheKey: CacheKeyOf) => {
    const original = (repository[method as keyof R] as (...args: unknown[]) => Promise<unknown>).bind(repository);
    return async (...args: unknown[]): Promise<unknown> => {
      const read = generation.current();
      const current = typeof read === 'number' ? read : await read;
      if (current !== cachedGeneration) {
        cache.clear();
        cachedGeneration = current;
      }
      const key = `${method}\u0000${(cacheKey as (...a: unknown[]) => string)(...args)}`;
      if (cache.has(key)) {
        counts.hits++;
        return cache.get(key);
      }
      counts.misses++;
      const value = await original(...args);
      if (cache.size >= capacity) cache.clear();
      if (cachedGeneration === current) cache.set(key, value);
      return value;
    };
  };
  const lookups = new Map(Object.entries(cached).map(([method, cacheKey]) => [method, lookup(method, cacheKey as CacheKeyOf)]));
  return new Proxy(repository, {
    get(target, property) {
      const cachedLookup = typeof property === 'string' ? lookups.get(property) : undefined;
      if (cachedLookup !== undefined) return cachedLookup;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // What this process just changed is seen by its next lookup (`calledStore`). A failed statement (a
      // revision conflict, a duplicate) means someone else changed the database: a retry sees that change.
      return async (...args: unknown[]) => {
        let result: unknown;
        try {
          result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          generation.forget();
          throw error;
        }
        generation.calledStore();
        return result;
      };
    },
  });
}

/** `keys.get`'s cache key. */
export const keyCacheKey = (scope: KeyScope, keyId: string): string => `${scope.accountId}/${scope.region}/${keyId}`;

/** `keyStores.get`'s cache key. */
export const keyStoreCacheKey = (scope: KeyScope, id: string): string => `${scope.accountId}/${scope.region}/${id}`;

/** `identities.getAccessKey`'s cache key. */
export const accessKeyCacheKey = (accessKeyId: string): string => accessKeyId;
