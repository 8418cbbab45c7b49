import type Database from 'better-sqlite3';

/**
 * One numbered step of the schema. `apply` runs inside the migration transaction (never commit or begin
 * one there) and may both change tables and rewrite stored records.
 */
export interface Migration {
  /** 1, 2, 3, ...: contiguous, never reused, never edited once released. */
  readonly version: number;
  /** What the step does, recorded in `schema_migrations` for people reading the database. */
  readonly name: string;
  apply(db: Database.Database): void;
}
