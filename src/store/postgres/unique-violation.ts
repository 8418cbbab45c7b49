import { DuplicateError } from '../store.js';

/** PostgreSQL's SQLSTATE for a primary key or unique index that already holds the value. */
const UNIQUE_VIOLATION = '23505';

/** True when PostgreSQL refused a write because a primary key or unique index already holds the value. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
}

/**
 * Runs an insert, turning a unique violation into `DuplicateError(what)`; other errors pass through.
 * Inside a transaction the violation has aborted it: let the error propagate so it is rolled back.
 *
 * @example
 *   await insertingUnique(`alias ${alias.name}`, () => pool.query(INSERT_ALIAS, values));
 */
export async function insertingUnique<T>(what: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateError(what);
    throw error;
  }
}
