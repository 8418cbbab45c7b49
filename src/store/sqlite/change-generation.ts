import type Database from 'better-sqlite3';
import type { ChangeGeneration } from '../cached-lookup.js';

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
export class SqliteChangeGeneration implements ChangeGeneration {
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

  /** Nothing to do: this connection's own writes move `total_changes()`, read at every `current()`. */
  calledStore(): void {}

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
