import type Database from 'better-sqlite3';
import type { ClearedState } from '../store.js';
import type { SqliteChangeGeneration } from './change-generation.js';
import { STATE_RESET_DELETIONS, type StateResetDeletion } from '../records/state-reset-deletions.js';

/** The setting counting resets: each process compares it with the count it saw last. */
const STATE_EPOCH_SETTING = 'state-epoch';

/**
 * `Store.clearState` for SQLite, and how every process sharing the file learns of a reset.
 *
 * The reset is one `BEGIN IMMEDIATE` transaction (one commit, one fsync, whatever the number of keys) that also
 * counts itself in the `state-epoch` setting. No other process can be told directly; each learns from the
 * database: whenever its change generation moves (a commit by anyone, `change-generation.ts`) it reads the epoch
 * again — one row by primary key, a few microseconds, and only after something changed — and runs the listeners
 * when it differs. `keys.get` and `identities.getAccessKey` read the generation on every call, so a process has
 * cleared its caches before its first lookup after a reset returns.
 */
export class SqliteStateReset {
  readonly #readEpoch: Database.Statement<[string], string>;
  readonly #clear: () => ClearedState;
  readonly #listeners: Array<() => void> = [];
  #epoch: string | undefined;

  constructor(db: Database.Database, generation: SqliteChangeGeneration) {
    this.#readEpoch = db.prepare<[string], string>('SELECT value FROM settings WHERE name = ?').pluck();
    const deletions = Object.fromEntries(
      Object.entries(STATE_RESET_DELETIONS).map(([name, sql]) => [name, db.prepare(sql)]),
    ) as Record<StateResetDeletion, Database.Statement>;
    const countReset = db.prepare<[string]>(
      `INSERT INTO settings (name, value) VALUES (?, '1')
       ON CONFLICT (name) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`,
    );
    const transaction = db.transaction((): ClearedState => {
      const deleted = (name: StateResetDeletion) => deletions[name].run().changes;
      const grants = deleted('grants');
      deleted('materials');
      const cleared = {
        grants,
        aliases: deleted('aliases'),
        keys: deleted('keys'),
        keyStores: deleted('keyStores'),
        policies: deleted('policies'),
        accessKeys: deleted('accessKeys'),
        users: deleted('users'),
        roles: deleted('roles'),
      };
      countReset.run(STATE_EPOCH_SETTING);
      return cleared;
    });
    this.#clear = () => transaction.immediate();
    this.#epoch = this.#readEpoch.get(STATE_EPOCH_SETTING);
    generation.onMove(() => this.#noticeReset());
  }

  /** Deletes what a reset deletes; this process's listeners have run when it returns. */
  clear(): ClearedState {
    const cleared = this.#clear();
    this.#noticeReset();
    return cleared;
  }

  onCleared(listener: () => void): void {
    this.#listeners.push(listener);
  }

  #noticeReset(): void {
    const epoch = this.#readEpoch.get(STATE_EPOCH_SETTING);
    if (epoch === this.#epoch) return;
    this.#epoch = epoch;
    for (const listener of this.#listeners) listener();
  }
}
