import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';

/** How long a connection waits for another process's write lock before giving up with `SQLITE_BUSY`. */
export const BUSY_TIMEOUT_MS = 10_000;

/** The in-memory database name SQLite understands; useful for quick tests, never durable. */
export const IN_MEMORY = ':memory:';

/**
 * Opens one SQLite connection configured for Strongroom:
 * - `busy_timeout` first, so the pragmas below (and every later write) wait for other processes' locks
 *   instead of failing at once — the server runs one process per CPU core on the same file;
 * - WAL journal, so readers never block the writer and the writer never blocks readers;
 * - `synchronous=FULL`, so a commit has reached the disk (the WAL is synced) before it returns —
 *   callers answer requests on that promise;
 * - foreign keys on (SQLite leaves them off per connection unless asked), so key materials cascade with
 *   their key;
 * - `trusted_schema=OFF`, so a tampered database file cannot make SQL functions run from its schema.
 *
 * A new database file is created with mode 0600 (SQLite gives its `-wal` and `-shm` files the same mode):
 * it holds wrapped key material and wrapped access key secrets, which only the server's user should read.
 *
 * Refuses a file whose journal cannot be switched to WAL (a network or read-only filesystem), because the
 * multi-process guarantees rest on it.
 *
 * @example
 *   const db = openConnection('/var/lib/strongroom/strongroom.db');
 */
export function openConnection(path: string): Database.Database {
  if (path !== IN_MEMORY) createOwnerOnly(path);
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    configure(db, path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Creates the file readable and writable by its owner only, unless it exists (then it is left as it is). */
function createOwnerOnly(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
}

function configure(db: Database.Database, path: string): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const journalMode = whileBusy(() => db.pragma('journal_mode = WAL', { simple: true }));
  if (path !== IN_MEMORY && journalMode !== 'wal') {
    throw new Error(
      `SQLite database ${path} cannot use write-ahead logging (journal_mode is ${String(journalMode)}); ` +
        'Strongroom needs a database file on a local, writable filesystem',
    );
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('trusted_schema = OFF');
  // Deleted content is overwritten with zeros, not left in free pages: deleted imported key material (wrapped,
  // but deleted because its owner said so) must leave the file, not merely the tables.
  db.pragma('secure_delete = ON');
}

/**
 * Runs `statement`, retrying while another process holds the lock it needs. Switching a new file to WAL takes
 * an exclusive lock for which SQLite does not always call its busy handler (two processes opening one new
 * file at once see SQLITE_BUSY at once), so start-up waits here instead — never the request path.
 */
function whileBusy<T>(statement: () => T): T {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      return statement();
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}
