import { resolve } from 'node:path';
import type { IamContext } from '../service/identities/iam-context.js';
import { PolicyCache } from '../auth/policy/index.js';
import { KmsError } from '../errors.js';
import { sharedDatabase } from '../server/config.js';
import { openNodeStorage } from '../server/node-storage.js';
import { readRootOfTrustConfig, ROOT_OF_TRUST_OPTIONS, type RootOfTrustFlags } from '../server/root-of-trust/root-of-trust-config.js';
import { ADMINISTRATOR_ACCOUNT_SETTING, type Store } from '../store/store.js';

/** The flags that say where a CLI command finds the state it works on (`STORAGE_OPTIONS`). */
export interface StorageFlags extends RootOfTrustFlags {
  readonly 'data-dir'?: string;
  readonly 'database-url'?: string;
  readonly 'root-key-file'?: string;
}

/** `parseArgs` options of `StorageFlags`, for every command that opens the store. */
export const STORAGE_OPTIONS = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'root-key-file': { type: 'string' },
  ...ROOT_OF_TRUST_OPTIONS,
} as const;

/** The usage lines of `STORAGE_OPTIONS`. */
export const STORAGE_USAGE = `          --data-dir DIR            data directory (default ./data; STRONGROOM_DATA_DIR), or
          --database-url URL --root-key-file PATH   a shared PostgreSQL database (STRONGROOM_DATABASE_URL,
                                    STRONGROOM_ROOT_KEY_FILE)
          --root-of-trust file|passphrase|pkcs11   with --passphrase-file FILE, or --pkcs11-module PATH
                                    --pkcs11-token-label LABEL --pkcs11-pin-file FILE (docs/roots-of-trust.md)
`;

/** The store and root key a CLI command opened, and the identity context over them. */
export interface StorageSession {
  readonly store: Store;
  readonly iam: IamContext;
  /** The account `--account-id` names, else the default account (its administrator's). */
  accountId(named: string | undefined): Promise<string>;
  close(): Promise<void>;
}

/**
 * Opens what the flags name the way the server does — a shared database (`--database-url` with
 * `--root-key-file`, checked against each other as a node checks them) or a data directory (root key file,
 * SQLite store) — so CLI commands work on it directly, also while servers run on it: each change is seen by every
 * node on its next request.
 *
 * @example
 *   const session = await openStorageSession({ 'data-dir': './data' });
 *   try { ... } finally { await session.close(); }
 */
export async function openStorageSession(flags: StorageFlags): Promise<StorageSession> {
  const rootOfTrust = readRootOfTrustConfig(flags, process.env);
  const database = sharedDatabase(flags, process.env, false, rootOfTrust);
  const dataDir = resolve(flags['data-dir'] ?? process.env['STRONGROOM_DATA_DIR'] ?? 'data');
  // A data directory is created when absent, as the server's first start creates it.
  const { store, rootKey } = await openNodeStorage(database !== undefined ? { database } : { dataDir, rootOfTrust }, Date.now);
  const iam: IamContext = { identities: store.identities, rootKey, now: Date.now, policies: new PolicyCache(100) };
  return {
    store,
    iam,
    async accountId(named) {
      if (named !== undefined) {
        if (!/^\d{12}$/.test(named)) throw new Error(`invalid account id (12 digits): ${named}`);
        return named;
      }
      const fallback = await store.settings.get(ADMINISTRATOR_ACCOUNT_SETTING);
      if (fallback === undefined) throw new Error('no default account yet (start the server once, or pass --account-id)');
      return fallback;
    },
    async close() {
      await store.close();
      rootKey.destroy();
    },
  };
}

/** An AWS error as the CLI reports it, code first (`NoSuchEntity: The user with name bob cannot be found.`). */
export function withErrorCode(error: unknown): unknown {
  return error instanceof KmsError ? new Error(`${error.type}: ${error.message}`) : error;
}
