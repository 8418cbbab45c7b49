import { access, readFile } from 'node:fs/promises';
import { RootKey } from '../../crypto/root-key.js';
import { dataDirectoryLayout } from '../../server/data-directory.js';
import { auditPublicKeyPem, loadAuditSigningKeyFromSettings } from '../../server/audit/audit-signing-key-store.js';
import { openSqliteStore } from '../../store/sqlite/open-sqlite-store.js';

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
export async function auditPublicKey(dataDir: string, publicKeyFile?: string): Promise<string> {
  if (publicKeyFile !== undefined) return readFile(publicKeyFile, 'utf8');
  const layout = dataDirectoryLayout(dataDir);
  // Never create a root key or a store here: a mistyped --data-dir must fail, not start a new one.
  for (const path of [layout.rootKey, layout.database]) {
    await access(path).catch(() => {
      throw new Error(`${path} does not exist: is ${dataDir} a Strongroom data directory?`);
    });
  }
  const rootKey = await RootKey.loadOrCreate(layout.rootKey);
  const store = await openSqliteStore({ path: layout.database, now: Date.now });
  try {
    const signingKey = await loadAuditSigningKeyFromSettings(store.settings, rootKey);
    if (!signingKey) throw new Error(`no audit signing key in ${dataDir}: the server has not recorded an audit trail there`);
    return auditPublicKeyPem(signingKey);
  } finally {
    await store.close();
    rootKey.destroy();
  }
}
