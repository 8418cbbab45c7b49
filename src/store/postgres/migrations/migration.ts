import type pg from 'pg';

/**
 * One numbered step of the PostgreSQL schema. `apply` runs inside the migration transaction (PostgreSQL's DDL
 * is transactional: never commit or begin one there) and may both change tables and rewrite stored records.
 *
 * The PostgreSQL schema has its own version numbers, independent of the SQLite schema's: version 1 here is
 * SQLite's versions 1–3 at once, since no PostgreSQL database predates them.
 */
export interface Migration {
  /** 1, 2, 3, ...: contiguous, never reused, never edited once released. */
  readonly version: number;
  /** What the step does, recorded in `schema_migrations` for people reading the database. */
  readonly name: string;
  apply(client: pg.PoolClient): Promise<void>;
}
