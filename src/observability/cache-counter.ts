/**
 * How often one cache answered from memory and how often it had to look further: what `/metrics` reports as
 * `strongroom_cache_hits_total` and `strongroom_cache_misses_total` (docs/observability.md). Read at scrape time.
 */
export interface CacheCounts {
  readonly hits: number;
  readonly misses: number;
}

/**
 * The counting side of `CacheCounts`, owned by the cache it counts for: two plain numbers a lookup increments, so
 * counting costs the hot path nothing measurable (no labels, no allocation). A cache hands out only the read-only
 * `CacheCounts` view of it.
 *
 * @example
 *   readonly #counts = new CacheCounter();
 *   get(key: string) { const value = this.#entries.get(key); if (value === undefined) this.#counts.misses++; else this.#counts.hits++; ... }
 */
export class CacheCounter implements CacheCounts {
  hits = 0;
  misses = 0;
}
