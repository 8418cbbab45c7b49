import Database from 'better-sqlite3';
import { InUseError, MissingReferenceError } from '../store.js';

/**
 * True when SQLite refused a write because of a foreign key (checked at once: none is deferred). SQLite's message
 * does not name the constraint, so callers wrap only statements that one foreign key can refuse.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Runs an insert or update whose only foreign key names `what`, turning its failure into
 * `MissingReferenceError(what)`; other errors pass through.
 *
 * @example
 *   referencing(`custom key store ${key.customKeyStoreId}`, () => insertKey.run(...keyColumns(key)));
 */
export function referencing<T>(what: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new MissingReferenceError(what);
    throw error;
  }
}

/**
 * Runs a delete of `what`, turning a foreign key failure (rows still pointing at it) into `InUseError(what)`.
 *
 * @example
 *   deletingReferenced(`cluster ${clusterId}`, () => deleteCluster.run(clusterId));
 */
export function deletingReferenced<T>(what: string, remove: () => T): T {
  try {
    return remove();
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new InUseError(what);
    throw error;
  }
}
