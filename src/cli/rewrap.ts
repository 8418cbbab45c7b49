import { access, link, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RootKey } from '../crypto/root-key.js';
import type { RootOfTrust } from '../crypto/root-of-trust.js';
import { sharedDatabase } from '../server/config.js';
import { dataDirectoryLayout } from '../server/data-directory.js';
import { openNodeStorage, type NodeStorage } from '../server/node-storage.js';
import { createRootOfTrust, type RootOfTrustRecord } from '../server/root-of-trust/open-root-of-trust.js';
import { rewrapStore } from '../server/root-of-trust/rewrap-store.js';
import { readRootOfTrustConfig, type RootOfTrustConfig } from '../server/root-of-trust/root-of-trust-config.js';
import { STORAGE_OPTIONS, STORAGE_USAGE } from './storage-session.js';
import { pathExists } from '../server/path-exists.js';

export const REWRAP_USAGE = `  rewrap  Move every wrapped secret to a new root of trust in one transaction (stop every server first).
${STORAGE_USAGE}          (with the current root of trust's options), and the new one:
          --to file|passphrase|pkcs11
          --to-root-key-file PATH    with a shared database: the new key file (created; must not exist)
          --to-passphrase-file FILE  the new passphrase (else typed at a prompt)
          --to-pkcs11-module PATH --to-pkcs11-token-label LABEL --to-pkcs11-pin-file FILE
`;

const TARGET_OPTIONS = {
  to: { type: 'string' },
  'to-root-key-file': { type: 'string' },
  'to-passphrase-file': { type: 'string' },
  'to-pkcs11-module': { type: 'string' },
  'to-pkcs11-token-label': { type: 'string' },
  'to-pkcs11-pin-file': { type: 'string' },
} as const;

/**
 * `strongroom rewrap --to ...`: opens the store with its current root of trust, makes the new root (a new key
 * file, a passphrase's salt, a key generated in the token), and moves every wrapped secret to it in one
 * transaction (`rewrapStore`). On a data directory the old `root.key` is removed afterwards when moving away from a
 * key file, and a new key file takes its place when moving to one. Resolves with the exit code.
 *
 * @example
 *   await runRewrapCommand(['--data-dir', './data', '--to', 'pkcs11', '--to-pkcs11-module', so, ...], print);
 */
export async function runRewrapCommand(args: readonly string[], print: (text: string) => void): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { ...STORAGE_OPTIONS, ...TARGET_OPTIONS }, strict: true });
  if (values.to === undefined) throw new Error(`rewrap needs --to file|passphrase|pkcs11\n\n${REWRAP_USAGE}`);
  const current = readRootOfTrustConfig(values, process.env);
  // The target is read from the --to-* flags only, never from the environment, which names the current root.
  const target = readRootOfTrustConfig({
    'root-of-trust': values.to,
    'passphrase-file': values['to-passphrase-file'],
    'pkcs11-module': values['to-pkcs11-module'],
    'pkcs11-token-label': values['to-pkcs11-token-label'],
    'pkcs11-pin-file': values['to-pkcs11-pin-file'],
  }, {});
  const database = sharedDatabase(values, process.env, false, current);
  const dataDir = resolve(values['data-dir'] ?? process.env['STRONGROOM_DATA_DIR'] ?? 'data');
  if (database === undefined) {
    await access(dataDirectoryLayout(dataDir).database).catch(() => {
      throw new Error(`${dataDir} holds no Strongroom store: is it a data directory?`);
    });
  }
  const storage: NodeStorage = database !== undefined ? { database } : { dataDir, rootOfTrust: current };
  const { store, rootKey: from } = await openNodeStorage(storage, Date.now);
  try {
    const newKeyFile = target.kind === 'file' ? newKeyFilePath(database !== undefined, dataDir, values['to-root-key-file']) : undefined;
    const { root: to, record } = await newRoot(target, newKeyFile);
    try {
      const moved = await rewrapStore(store, from, to, record);
      if (database === undefined) await settleDataDirectoryKeyFile(dataDir, current, newKeyFile);
      print(
        `Moved ${moved.materials} key material versions, ${moved.accessKeys} secret access keys, ${moved.keyStoreSecrets} ` +
          `custom key stores' secrets, ${moved.xksCredentials} XKS proxy credentials and ${moved.settings} wrapped settings ` +
          `from root of trust ${from.id} (${from.kind}) to ${to.id} (${to.kind}).\n`,
      );
      return 0;
    } catch (error) {
      if (newKeyFile !== undefined) await unlink(newKeyFile).catch(() => undefined);
      throw error;
    } finally {
      to.destroy();
    }
  } finally {
    from.destroy();
    await store.close();
  }
}

/** Where a new key file is made: beside the data directory's `root.key` until the move is committed. */
function newKeyFilePath(shared: boolean, dataDir: string, given: string | undefined): string {
  if (shared) {
    if (given === undefined) throw new Error('--to file with a shared database needs --to-root-key-file PATH (a new file)');
    return resolve(given);
  }
  if (given !== undefined) throw new Error('--to-root-key-file goes with --database-url (a data directory keeps its own root.key)');
  return `${dataDirectoryLayout(dataDir).rootKey}.new`;
}

async function newRoot(target: RootOfTrustConfig, keyFile: string | undefined): Promise<{ root: RootOfTrust; record: RootOfTrustRecord | undefined }> {
  if (target.kind !== 'file') return createRootOfTrust(target);
  const path = keyFile!;
  if (await pathExists(path)) throw new Error(`${path} exists already: the new key file must be new`);
  return { root: await RootKey.loadOrCreate(path), record: undefined };
}

/**
 * After the commit, the data directory's key file says what its root is: the new file becomes `root.key`; a move
 * away from a key file removes the old one (the store no longer needs it, and it must not be mistaken for the root).
 */
async function settleDataDirectoryKeyFile(dataDir: string, current: RootOfTrustConfig, newKeyFile: string | undefined): Promise<void> {
  const rootKeyFile = dataDirectoryLayout(dataDir).rootKey;
  if (current.kind === 'file') await unlink(rootKeyFile);
  if (newKeyFile !== undefined) {
    await link(newKeyFile, rootKeyFile);
    await unlink(newKeyFile);
  }
}
