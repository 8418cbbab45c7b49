import { InUseError, MissingReferenceError } from '../store.js';

/** PostgreSQL's SQLSTATE for a write refused by a foreign key. */
const FOREIGN_KEY_VIOLATION = '23503';

/** True when PostgreSQL refused a write because of the foreign key named `constraint`. */
export function isForeignKeyViolation(error: unknown, constraint: string): boolean {
  const fields = error as { code?: unknown; constraint?: unknown } | null;
  return fields?.code === FOREIGN_KEY_VIOLATION && fields.constraint === constraint;
}

/**
 * Runs an insert or update, turning a violation of the foreign key `constraint` (the row names one that does not
 * exist) into `MissingReferenceError(what)`; other errors pass through. Inside a transaction the violation has
 * aborted it: let the error propagate so it is rolled back.
 *
 * @example
 *   await referencing('keys_custom_key_store_fkey', `custom key store ${id}`, () => client.query(INSERT_KEY, values));
 */
export async function referencing<T>(constraint: string, what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isForeignKeyViolation(error, constraint)) throw new MissingReferenceError(what);
    throw error;
  }
}

/**
 * Runs a delete of `what`, turning a violation of the foreign key `constraint` (rows still pointing at it) into
 * `InUseError(what)`.
 *
 * @example
 *   await deletingReferenced('custom_key_stores_cluster_fkey', `cluster ${id}`, () => pool.query(DELETE, [id]));
 */
export async function deletingReferenced<T>(constraint: string, what: string, remove: () => Promise<T>): Promise<T> {
  try {
    return await remove();
  } catch (error) {
    if (isForeignKeyViolation(error, constraint)) throw new InUseError(what);
    throw error;
  }
}
