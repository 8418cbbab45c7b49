import type Database from 'better-sqlite3';

/**
 * A number that changes whenever anything in the database may have changed: `total_changes()` moves when this
 * connection writes, and SQLite's `data_version` when another connection (another server process) commits.
 *
 * `total_changes()` is read every time (it costs nothing: no lock, no I/O). `data_version` needs a read lock on
 * the shared WAL index — a few microseconds — so it is read at most once per event-loop turn: a commit by
 * another process is seen from the next turn on. That is enough for read-your-writes across processes: a
 * client's next request after the other process answered arrives over the network, hence in a later turn;
 * requests already in flight in this turn were concurrent with that commit.
 */
export class ChangeGeneration {
  readonly #dataVersion: Database.Statement<[], number>;
  readonly #totalChanges: Database.Statement<[], number>;
  #dataVersionThisTurn: number | undefined;
  #lastReturned = -1;
  readonly #onMove: Array<() => void> = [];
  readonly #forget = () => {
    this.#dataVersionThisTurn = undefined;
  };

  constructor(db: Database.Database) {
    this.#dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.#totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  }

  /**
   * Reads `data_version` again on the next call. Called when a statement found the database not as this
   * process had last seen it (a revision conflict), so a retry in the same turn sees the other commit.
   */
  forget(): void {
    this.#dataVersionThisTurn = undefined;
  }

  current(): number {
    if (this.#dataVersionThisTurn === undefined) {
      this.#dataVersionThisTurn = this.#dataVersion.get() ?? 0;
      setImmediate(this.#forget).unref();
    }
    const generation = this.#dataVersionThisTurn * 4_294_967_296 + (this.#totalChanges.get() ?? 0);
    if (generation !== this.#lastReturned) {
      this.#lastReturned = generation;
      for (const listener of this.#onMove) listener();
    }
    return generation;
  }

  /**
   * Calls `listener` from `current()` whenever the generation it finds differs from the one it last returned
   * (so at most once per change seen), before returning it: what a listener learns from the database is known
   * before anything read under the new generation is used. A listener must not write.
   */
  onMove(listener: () => void): void {
    this.#onMove.push(listener);
  }
}

/**
 * Wraps a repository so that one of its lookups (`method`, taking one string-able key) is answered from memory
 * while the database's generation is unchanged. The whole cache is dropped when the generation moves, so a
 * change made by any process is seen by the next lookup. Bounded; every other method passes through (and a
 * failure of one makes the generation be read afresh).
 */
export function withCachedLookup<R extends object, M extends keyof R & string>(
  repository: R,
  method: M,
  generation: ChangeGeneration,
  cacheKey: (...args: never[]) => string,
  capacity = 10_000,
): R {
  const cache = new Map<string, unknown>();
  let cachedGeneration = -1;
  const original = (repository[method] as (...args: unknown[]) => Promise<unknown>).bind(repository);
  const cached = async (...args: unknown[]): Promise<unknown> => {
    const current = generation.current();
    if (current !== cachedGeneration) {
      cache.clear();
      cachedGeneration = current;
    }
    const key = (cacheKey as (...a: unknown[]) => string)(...args);
    if (cache.has(key)) return cache.get(key);
    const value = await original(...args);
    if (cache.size >= capacity) cache.clear();
    // Only what was read under the generation checked above may be kept.
    if (generation.current() === cachedGeneration) cache.set(key, value);
    return value;
  };
  return new Proxy(repository, {
    get(target, property) {
      if (property === method) return cached;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // A failed statement (a revision conflict, a duplicate) means another process changed the database:
      // read its generation afresh, so a retry in this same event-loop turn sees that change.
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          generation.forget();
          throw error;
        }
      };
    },
  });
}
