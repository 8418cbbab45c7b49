import { access, readFile } from 'node:fs/promises';
import type { RootOfTrust } from '../../crypto/root-of-trust.js';
import { dataDirectoryLayout } from '../../server/data-directory.js';
import { openRootOfTrust } from '../../server/root-of-trust/open-root-of-trust.js';
import type { RootOfTrustConfig } from '../../server/root-of-trust/root-of-trust-config.js';
import { auditPublicKeyPem, loadAuditSigningKeyFromSettings } from '../../server/audit/audit-signing-key-store.js';
import { openSqliteStore } from '../../store/sqlite/open-sqlite-store.js';
import type { Store } from '../../store/store.js';

/**
 * The public key that verifies the trail's digests. From a file the operator kept (`--public-key`), which is
 * the independent check; otherwise from the data directory: the signing key stored wrapped by the root key,
 * whose authenticated unwrapping means a key swapped into the store by someone without the root key is
 * refused rather than trusted.
 *
 * @example
 *   const pem = await auditPublicKey('/var/lib/strongroom');            // needs root.key
 *   const pem = await auditPublicKey(dataDir, '/safe/audit-public.pem'); // needs nothing else
 */
export async function auditPublicKey(
  dataDir: string,
  publicKeyFile?: string,
  rootOfTrust: RootOfTrustConfig = { kind: 'file' },
): Promise<string> {
  if (publicKeyFile !== undefined) return readFile(publicKeyFile, 'utf8');
  const layout = dataDirectoryLayout(dataDir);
  // Never create a root of trust or a store here: a mistyped --data-dir must fail, not start a new one.
  await access(layout.database).catch(() => {
    throw new Error(`${layout.database} does not exist: is ${dataDir} a Strongroom data directory?`);
  });
  const store = await openSqliteStore({ path: layout.database, now: Date.now });
  let rootKey: RootOfTrust;
  try {
    rootKey = await openRootOfTrust(rootOfTrust, { settings: store.settings, rootKeyFile: layout.rootKey, mayCreate: false });
  } catch (error) {
    await store.close();
    throw error;
  }
  return signingPublicKey(store, rootKey, `in ${dataDir}`);
}

/**
 * The same from a shared PostgreSQL database: the wrapped signing key in its settings, unwrapped with the root key
 * file every node uses (loaded, never created; checked against the database's root-key check value).
 *
 * @example
 *   const pem = await auditPublicKeyOfDatabase(databaseUrl, '/etc/strongroom/root.key');
 */
export async function auditPublicKeyOfDatabase(
  databaseUrl: string,
  rootKeyFile: string | undefined,
  publicKeyFile?: string,
  rootOfTrust: RootOfTrustConfig = { kind: 'file' },
): Promise<string> {
  if (publicKeyFile !== undefined) return readFile(publicKeyFile, 'utf8');
  if (rootOfTrust.kind !== 'file') {
    const { openSharedDatabase } = await import('../../server/shared-database.js');
    const { redactDatabaseUrl } = await import('../../store/postgres/database-url.js');
    const { rootKey, store } = await openSharedDatabase({ databaseUrl, rootOfTrust });
    return signingPublicKey(store, rootKey, `in database ${redactDatabaseUrl(databaseUrl)}`);
  }
  if (rootKeyFile === undefined) {
    throw new Error('--root-key-file (or STRONGROOM_ROOT_KEY_FILE) is needed to read the audit public key from the database, or give --public-key FILE');
  }
  // Loaded only here: the data-directory commands never parse the PostgreSQL driver.
  const { openSharedDatabase } = await import('../../server/shared-database.js');
  const { redactDatabaseUrl } = await import('../../store/postgres/database-url.js');
  const { rootKey, store } = await openSharedDatabase({ databaseUrl, rootOfTrust: { kind: 'file' }, rootKeyFile });
  return signingPublicKey(store, rootKey, `in database ${redactDatabaseUrl(databaseUrl)}`);
}

/** The stored signing key's public half; closes the store and forgets the root key either way. */
async function signingPublicKey(store: Store, rootKey: RootOfTrust, where: string): Promise<string> {
  try {
    const signingKey = await loadAuditSigningKeyFromSettings(store.settings, rootKey);
    if (!signingKey) throw new Error(`no audit signing key ${where}: no server has recorded an audit trail there`);
    return auditPublicKeyPem(signingKey);
  } finally {
    await store.close();
    rootKey.destroy();
  }
}
