import type Database from 'better-sqlite3';
import { initialSchema } from './001-initial-schema.js';
import { iamSchema } from './002-iam.js';
import { grantsSchema } from './003-grants.js';
import { importedAndRelatedKeys } from './004-imported-and-related-keys.js';
import { customKeyStores } from './005-custom-key-stores.js';
import { xksCredentials } from './006-xks-credentials.js';
import type { Migration } from './migration.js';

/** Every migration, in order. Append new ones; never edit or remove a released one. */
export const MIGRATIONS: readonly Migration[] = Object.freeze([initialSchema, iamSchema, grantsSchema, importedAndRelatedKeys, customKeyStores, xksCredentials]);

/** The schema version this build of Strongroom creates and understands. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/** Thrown when a database was written by a newer Strongroom, whose schema this build does not know. */
export class UnsupportedSchemaVersionError extends Error {
  constructor(path: string, found: number) {
    super(
      `SQLite database ${path} has schema version ${found}, but this Strongroom understands versions up to ` +
        `${LATEST_SCHEMA_VERSION}; upgrade Strongroom to open it`,
    );
    this.name = 'UnsupportedSchemaVersionError';
  }
}

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`;

/**
 * Brings the database up to `LATEST_SCHEMA_VERSION`, recording each step in `schema_migrations`.
 *
 * Everything runs in one `BEGIN IMMEDIATE` transaction: it takes the write lock before reading the current
 * version, so when several server processes start at once, one migrates and the others wait (busy timeout),
 * then find nothing left to do. A failing step rolls the whole upgrade back. A database newer than this
 * build is refused before anything is touched.
 *
 * @returns the versions applied by this call (empty when the database was up to date).
 */
export function migrate(db: Database.Database, path: string, now: () => number): number[] {
  const run = db.transaction((): number[] => {
    db.exec(CREATE_MIGRATIONS_TABLE);
    const current = currentVersion(db);
    if (current > LATEST_SCHEMA_VERSION) throw new UnsupportedSchemaVersionError(path, current);
    const record = db.prepare<[number, string, number]>(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    const applied: number[] = [];
    for (const migration of MIGRATIONS.slice(current)) {
      migration.apply(db);
      record.run(migration.version, migration.name, now());
      applied.push(migration.version);
    }
    return applied;
  });
  return run.immediate();
}

/** The highest version recorded in `schema_migrations` (0 for a new database). */
export function currentVersion(db: Database.Database): number {
  const row = db.prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations').get();
  return row?.version ?? 0;
}
