import type pg from 'pg';
import { openPool } from '../connection.js';
import { inTransaction } from '../transaction.js';
import { initialSchema } from './001-initial-schema.js';
import { changeCounter } from './002-change-counter.js';
import { auditTrail } from './003-audit-trail.js';
import { importedAndRelatedKeys } from './004-imported-and-related-keys.js';
import { customKeyStores } from './005-custom-key-stores.js';
import { xksCredentials } from './006-xks-credentials.js';
import type { Migration } from './migration.js';

/** Every migration, in order. Append new ones; never edit or remove a released one. */
export const MIGRATIONS: readonly Migration[] = Object.freeze([initialSchema, changeCounter, auditTrail, importedAndRelatedKeys, customKeyStores, xksCredentials]);

/** The schema version this build of Strongroom creates and understands. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The advisory lock every Strongroom node takes to migrate: one 64-bit number, the same in every build
 * (the ASCII of "strongro"), so nodes of different versions starting together still take turns.
 */
export const MIGRATION_LOCK_ID = 0x7374726f6e67726fn;

/**
 * How long a node waits for another node's migration, and its own steps may run, in place of the usual
 * statement timeout: a migration that rewrites many records takes longer than a request may. Migrations run on
 * a connection of their own with this limit.
 */
export const MIGRATION_TIMEOUT_MS = 300_000;

/** Thrown when a database was written by a newer Strongroom, whose schema this build does not know. */
export class UnsupportedSchemaVersionError extends Error {
  constructor(database: string, found: number) {
    super(
      `PostgreSQL database ${database} has schema version ${found}, but this Strongroom understands versions ` +
        `up to ${LATEST_SCHEMA_VERSION}; upgrade Strongroom to open it`,
    );
    this.name = 'UnsupportedSchemaVersionError';
  }
}

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at BIGINT  NOT NULL
  )`;

/**
 * Brings the database up to `LATEST_SCHEMA_VERSION`, recording each step in `schema_migrations`.
 *
 * Everything runs in one transaction that first takes a transaction-scoped advisory lock
 * (`pg_advisory_xact_lock`): when several nodes start at once, one migrates while the others wait on the lock,
 * then find nothing left to do. PostgreSQL releases the lock at commit or rollback — also when a node dies
 * mid-migration — so no lock can be left behind. A failing step rolls the whole upgrade back (DDL is
 * transactional). A database newer than this build is refused before anything is changed.
 *
 * @param database how the database is named in an error (a redacted URL — never with its password)
 * @returns the versions applied by this call (empty when the database was up to date).
 */
export async function migrate(databaseUrl: string, database: string, now: () => number): Promise<number[]> {
  const pool = openPool({ databaseUrl, poolSize: 1, statementTimeoutMs: MIGRATION_TIMEOUT_MS });
  try {
    return await migrateWith(pool, database, now);
  } finally {
    await pool.end();
  }
}

async function migrateWith(pool: pg.Pool, database: string, now: () => number): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID.toString()]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const current = await currentVersion(client);
    if (current > LATEST_SCHEMA_VERSION) throw new UnsupportedSchemaVersionError(database, current);
    const applied: number[] = [];
    for (const migration of MIGRATIONS.slice(current)) {
      await migration.apply(client);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        now(),
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}

/** The highest version recorded in `schema_migrations` (0 for a new database). */
export async function currentVersion(client: pg.ClientBase): Promise<number> {
  const result = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
  return result.rows[0]?.version ?? 0;
}
