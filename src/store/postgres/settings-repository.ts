import type pg from 'pg';
import type { SettingsRepository } from '../store.js';

/** Named values in PostgreSQL's `settings` table; `put` inserts or replaces in one statement. */
export class PostgresSettingsRepository implements SettingsRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async get(name: string): Promise<string | undefined> {
    const result = await this.#pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]);
    return result.rows[0]?.value;
  }

  async put(name: string, value: string): Promise<void> {
    await this.#pool.query(
      'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value',
      [name, value],
    );
  }
}
