import type { IamContext } from '../service/identities/iam-context.js';
import { PolicyCache } from '../auth/policy/index.js';
import { RootKey } from '../crypto/root-key.js';
import { KmsError } from '../errors.js';
import { dataDirectoryLayout, prepareDataDirectory } from '../server/data-directory.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import { ADMINISTRATOR_ACCOUNT_SETTING, type Store } from '../store/store.js';

/** The setting `first-start.ts` records the default account under. */

/** A data directory opened by a CLI command: its store and root key, and the identity context over them. */
export interface DataDirectorySession {
  readonly store: Store;
  readonly iam: IamContext;
  /** The account `--account-id` names, else the data directory's default account (its administrator's). */
  accountId(named: string | undefined): Promise<string>;
  close(): Promise<void>;
}

/**
 * Opens a data directory the way the server does (root key file, SQLite store), so CLI commands work on
 * it directly — also while a server runs on it: SQLite (WAL) serializes the writes, and the server sees
 * each change on its next request.
 *
 * @example
 *   const session = await openDataDirectory('./data');
 *   try { ... } finally { await session.close(); }
 */
export async function openDataDirectory(dataDir: string): Promise<DataDirectorySession> {
  await prepareDataDirectory(dataDir);
  const layout = dataDirectoryLayout(dataDir);
  const rootKey = await RootKey.loadOrCreate(layout.rootKey);
  const store = await openSqliteStore({ path: layout.database });
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

/** The AWS shared-credentials file text of one profile. */
export function credentialsFileText(profile: string, accessKeyId: string, secret: string, region: string): string {
  return `[${profile}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secret}\nregion = ${region}\n`;
}

/** An AWS error as the CLI reports it, code first (`NoSuchEntity: The user with name bob cannot be found.`). */
export function withErrorCode(error: unknown): unknown {
  return error instanceof KmsError ? new Error(`${error.type}: ${error.message}`) : error;
}
