import Database from 'better-sqlite3';
import { DuplicateError } from '../store.js';

/** True when SQLite refused an insert because a primary key or unique index already holds the value. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    (error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || error.code === 'SQLITE_CONSTRAINT_UNIQUE')
  );
}

/**
 * Runs an insert, turning a unique-constraint failure into `DuplicateError(what)`; other errors pass through.
 *
 * @example
 *   insertingUnique(`alias ${alias.name}`, () => insertAlias.run(...));
 */
export function insertingUnique<T>(what: string, insert: () => T): T {
  try {
    return insert();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateError(what);
    throw error;
  }
}
