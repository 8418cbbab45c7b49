import { resolve } from 'node:path';
import type { IamContext } from '../service/identities/iam-context.js';
import { PolicyCache } from '../auth/policy/index.js';
import { RootKey } from '../crypto/root-key.js';
import { KmsError } from '../errors.js';
import { sharedDatabase } from '../server/config.js';
import { dataDirectoryLayout, prepareDataDirectory } from '../server/data-directory.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import { ADMINISTRATOR_ACCOUNT_SETTING, type Store } from '../store/store.js';

/** The flags that say where a CLI command finds the state it works on (`STORAGE_OPTIONS`). */
export interface StorageFlags {
  readonly 'data-dir'?: string;
  readonly 'database-url'?: string;
  readonly 'root-key-file'?: string;
}

/** `parseArgs` options of `StorageFlags`, for every command that opens the store. */
export const STORAGE_OPTIONS = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'root-key-file': { type: 'string' },
} as const;

/** The usage lines of `STORAGE_OPTIONS`. */
export const STORAGE_USAGE = `          --data-dir DIR            data directory (default ./data; STRONGROOM_DATA_DIR), or
          --database-url URL --root-key-file PATH   a shared PostgreSQL database (STRONGROOM_DATABASE_URL,
                                    STRONGROOM_ROOT_KEY_FILE)
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
  const database = sharedDatabase(flags, process.env);
  const { store, rootKey } = database !== undefined
    ? await (await import('../server/shared-database.js')).openSharedDatabase(database)
    : await openDataDirectory(resolve(flags['data-dir'] ?? process.env['STRONGROOM_DATA_DIR'] ?? 'data'));
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
    close: () => store.close(),
  };
}

/** A data directory's root key and SQLite store, created when absent as the server's first start creates them. */
async function openDataDirectory(dataDir: string): Promise<{ store: Store; rootKey: RootKey }> {
  await prepareDataDirectory(dataDir);
  const layout = dataDirectoryLayout(dataDir);
  const rootKey = await RootKey.loadOrCreate(layout.rootKey);
  return { rootKey, store: await openSqliteStore({ path: layout.database }) };
}

/** An AWS error as the CLI reports it, code first (`NoSuchEntity: The user with name bob cannot be found.`). */
export function withErrorCode(error: unknown): unknown {
  return error instanceof KmsError ? new Error(`${error.type}: ${error.message}`) : error;
}
