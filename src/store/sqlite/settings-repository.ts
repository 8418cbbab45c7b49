import type Database from 'better-sqlite3';
import type { SettingsRepository } from '../store.js';

/** Named settings in SQLite: one row per name; `put` inserts or replaces in one statement. */
export class SqliteSettingsRepository implements SettingsRepository {
  readonly #get: Database.Statement<[string], string>;
  readonly #put: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.#get = db.prepare<[string], string>('SELECT value FROM settings WHERE name = ?').pluck();
    this.#put = db.prepare(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    );
  }

  async get(name: string): Promise<string | undefined> {
    return this.#get.get(name);
  }

  async put(name: string, value: string): Promise<void> {
    this.#put.run(name, value);
  }
}
