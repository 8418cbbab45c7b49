import type pg from 'pg';
import type { ClearedState } from '../store.js';
import { inTransaction } from './transaction.js';
import { STATE_RESET_DELETIONS, type StateResetDeletion } from '../records/state-reset-deletions.js';

/** The setting counting resets (the same row SQLite keeps): each node compares it with the count it saw last. */
export const STATE_EPOCH_SETTING = 'state-epoch';

/**
 * A one-row derived table holding the current state epoch, for a lookup to `LEFT JOIN` its row to: the epoch
 * and the row are then read by one statement, in one snapshot, in one round trip.
 */
export const STATE_EPOCH_ROW = `(SELECT (SELECT value FROM settings WHERE name = '${STATE_EPOCH_SETTING}') AS state_epoch) AS epoch`;

const COUNT_RESET = `
  INSERT INTO settings (name, value) VALUES ($1, '1')
  ON CONFLICT (name) DO UPDATE SET value = (settings.value::bigint + 1)::text
  RETURNING value`;

/**
 * `Store.clearState` for PostgreSQL, and how every node sharing the database learns of a reset.
 *
 * The reset is one transaction that also counts itself in the `state-epoch` setting. Other nodes are not told
 * (LISTEN/NOTIFY was weighed and refused: a notification sent while a node's listening connection is
 * reconnecting is lost, and a node would need a connection of its own for it). Instead each node reads the
 * epoch with the two lookups every request makes before it reaches a cache — `keys.get` and
 * `identities.getAccessKey` join `STATE_EPOCH_ROW` — and runs the listeners before that lookup returns when the
 * epoch moved. That costs one primary-key probe inside a statement the request makes anyway, and is exact: the
 * epoch and the row are from the same snapshot.
 */
export class PostgresStateReset {
  readonly #pool: pg.Pool;
  readonly #listeners: Array<() => void> = [];
  /** The highest epoch seen; a lookup that was in flight across a reset may answer with an older one. */
  #seen: number;

  private constructor(pool: pg.Pool, seen: number) {
    this.#pool = pool;
    this.#seen = seen;
  }

  /** Starts from the epoch the database holds now: resets before this node started are not news to it. */
  static async open(pool: pg.Pool): Promise<PostgresStateReset> {
    const result = await pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [STATE_EPOCH_SETTING]);
    return new PostgresStateReset(pool, epochNumber(result.rows[0]?.value ?? null));
  }

  /** Deletes what a reset deletes, in one transaction; this node's listeners have run when it resolves. */
  async clear(): Promise<ClearedState> {
    const { cleared, epoch } = await inTransaction(this.#pool, (client) => this.#clearIn(client));
    this.observe(epoch);
    return cleared;
  }

  async #clearIn(client: pg.PoolClient): Promise<{ cleared: ClearedState; epoch: string }> {
    const deleted = async (name: StateResetDeletion) => (await client.query(STATE_RESET_DELETIONS[name])).rowCount ?? 0;
    const grants = await deleted('grants');
    await deleted('materials');
    const cleared: ClearedState = {
      grants,
      aliases: await deleted('aliases'),
      keys: await deleted('keys'),
      keyStores: await deleted('keyStores'),
      policies: await deleted('policies'),
      accessKeys: await deleted('accessKeys'),
      users: await deleted('users'),
      roles: await deleted('roles'),
    };
    const counted = await client.query<{ value: string }>(COUNT_RESET, [STATE_EPOCH_SETTING]);
    return { cleared, epoch: counted.rows[0]?.value ?? '0' };
  }

  onCleared(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** Runs the listeners when `epoch` (as a lookup or a reset read it) is newer than any seen before. */
  observe(epoch: string | null): void {
    const value = epochNumber(epoch);
    if (value <= this.#seen) return;
    this.#seen = value;
    for (const listener of this.#listeners) listener();
  }
}

function epochNumber(epoch: string | null): number {
  return epoch === null ? 0 : Number(epoch);
}
