/**
 * Trims a `Map` kept in recency order (oldest first: a hit deletes and re-inserts its entry) once it holds more than
 * `capacity` entries: the oldest go, down to seven eighths of `capacity`, each told to `drop` (to wipe a secret).
 * Every bounded cache of the request path trims with it.
 *
 * Why an eighth at a time, not one entry per insert: V8 leaves a deleted `Map` entry as a hole until it rebuilds
 * the table, and the holes of evicted entries pile up at the front, so each lookup of "the oldest entry" walks past
 * all of them. When nearly every request misses (100,000 keys drawn at random, issue #19), evicting one entry per
 * insert cost 8–10 µs at 10,000 entries; one pass per eighth costs 0.7 µs per insert.
 *
 * @example
 *   entries.set(key, value);
 *   evictLeastRecentlyUsed(entries, capacity, (_, evicted) => evicted.wipe());
 */
export function evictLeastRecentlyUsed<K, V>(
  entries: Map<K, V>,
  capacity: number,
  drop: (key: K, value: V) => void = () => undefined,
): void {
  if (entries.size <= capacity) return;
  let excess = entries.size - (capacity - (capacity >> 3));
  for (const [key, value] of entries) {
    if (excess-- <= 0) break;
    entries.delete(key);
    drop(key, value);
  }
}
