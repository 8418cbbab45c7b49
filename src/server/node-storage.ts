import { rm } from 'node:fs/promises';
import { RootKey } from '../crypto/root-key.js';
import type { RootOfTrust } from '../crypto/root-of-trust.js';
import { SecretBytes } from '../crypto/secret-bytes.js';
import { IN_MEMORY } from '../store/sqlite/connection.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import type { Store } from '../store/store.js';
import { openAuditTrail, type AuditTrail, type OpenAuditTrailOptions } from './audit/audit-trail.js';
import { openMemoryAuditTrail } from './audit/memory-audit-trail.js';
import { dataDirectoryLayout, prepareDataDirectory } from './data-directory.js';
import { openRootOfTrust } from './root-of-trust/open-root-of-trust.js';
import type { RootOfTrustConfig } from './root-of-trust/root-of-trust-config.js';
import type { SharedDatabase } from './shared-database.js';
import { pathExists } from './path-exists.js';

/**
 * Where a node keeps its state: a data directory (durable; several processes may share it), memory only
 * (`serve --ephemeral` and `startStrongroom`: nothing is read or written on disk, and nothing survives the process),
 * or a PostgreSQL database that several nodes share (`serve --database-url`, with the root key file they share).
 */
export type NodeStorage =
  | { readonly dataDir: string; readonly rootOfTrust?: RootOfTrustConfig }
  | { readonly ephemeral: true }
  | { readonly database: SharedDatabase };

const ROOT_KEY_BYTES = 32;

/**
 * The root of trust and the key store of `storage`. On disk: the data directory is created if needed, the SQLite
 * store opened (or created) in it, and the root of trust opened as the store records it — `root.key` by default,
 * loaded or created on the first start, or a passphrase or PKCS#11 token (`rootOfTrust`). In memory:
 * a random root key that exists only in this process, and an in-memory SQLite store with the same schema. On a
 * shared database: the root key file loaded and checked against the database, which `init` must have prepared.
 */
export async function openNodeStorage(storage: NodeStorage, now: () => number): Promise<{ rootKey: RootOfTrust; store: Store }> {
  if ('ephemeral' in storage) {
    const bytes = SecretBytes.random(ROOT_KEY_BYTES);
    try {
      return { rootKey: RootKey.fromBytes(bytes), store: await openSqliteStore({ path: IN_MEMORY, now }) };
    } finally {
      bytes.wipe(); // the root key keeps only what it derived from them
    }
  }
  if ('database' in storage) {
    // Loaded only here: a node on SQLite never parses the PostgreSQL driver (start-up time, ADR 0011).
    const { openSharedDatabase } = await import('./shared-database.js');
    return openSharedDatabase(storage.database, now);
  }
  // A first start that is refused (a wrong passphrase, a token it cannot open) leaves nothing behind.
  const directoryExisted = await pathExists(storage.dataDir);
  await prepareDataDirectory(storage.dataDir);
  const layout = dataDirectoryLayout(storage.dataDir);
  const storeExisted = await pathExists(layout.database);
  const store = await openSqliteStore({ path: layout.database, now });
  try {
    const rootOfTrust = storage.rootOfTrust ?? { kind: 'file' };
    return { rootKey: await openRootOfTrust(rootOfTrust, { settings: store.settings, rootKeyFile: layout.rootKey, mayCreate: true }), store };
  } catch (error) {
    await store.close();
    if (!directoryExisted) await rm(storage.dataDir, { recursive: true, force: true });
    else if (!storeExisted) await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${layout.database}${suffix}`, { force: true })));
    throw error;
  }
}


/** The audit trail of `storage`: `audit.db` and its journals in the data directory, in memory, or in the database. */
export async function openNodeAuditTrail(storage: NodeStorage, options: Omit<OpenAuditTrailOptions, 'dataDir'>): Promise<AuditTrail> {
  if ('ephemeral' in storage) return openMemoryAuditTrail(options);
  if ('database' in storage) {
    const { openPostgresAuditTrail } = await import('./audit/postgres-audit-trail.js');
    return openPostgresAuditTrail({ ...options, databaseUrl: storage.database.databaseUrl });
  }
  return openAuditTrail({ ...options, dataDir: storage.dataDir });
}
