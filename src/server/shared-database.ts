import { RootKey } from '../crypto/root-key.js';
import type { RootOfTrust } from '../crypto/root-of-trust.js';
import { redactDatabaseSecrets } from '../store/postgres/database-url.js';
import { openPostgresStore, redactDatabaseUrl } from '../store/postgres/open-postgres-store.js';
import { ADMINISTRATOR_ACCOUNT_SETTING, ROOT_KEY_CHECK_SETTING, type Store } from '../store/store.js';
import { loadOrCreateAuditSigningKey } from './audit/audit-signing-key-store.js';
import { ensureAdministrator, type Administrator } from './first-start.js';
import { openRootOfTrust } from './root-of-trust/open-root-of-trust.js';
import type { RootOfTrustConfig } from './root-of-trust/root-of-trust-config.js';

/** A PostgreSQL database that several nodes share (`--database-url`), and the root of trust they all use. */
export interface SharedDatabase {
  /** A libpq URL; may carry a password, so it is shown only through `redactDatabaseUrl`. */
  readonly databaseUrl: string;
  /** The root of trust (a key file, `rootKeyFile`, when absent). */
  readonly rootOfTrust?: RootOfTrustConfig;
  /** The root key file (today's `root.key` format), the same on every node: only for `rootOfTrust.kind` `file`. */
  readonly rootKeyFile?: string;
}

/** A shared database opened by a node or a CLI command: its root key and key store, checked against each other. */
export interface OpenedSharedDatabase {
  readonly rootKey: RootOfTrust;
  readonly store: Store;
  /** The account `init` created, whose root administers. */
  readonly administratorAccountId: string;
}

/**
 * Opens an initialised shared database: loads the root key (never creating one), opens the store (migrating the
 * schema under its lock, whichever node comes first), and refuses — closing what it opened — a database that
 * `strongroom init` has not prepared, or whose root-key check value is not this root key's.
 *
 * @example
 *   const { rootKey, store } = await openSharedDatabase({ databaseUrl, rootKeyFile: '/etc/strongroom/root.key' });
 */
export async function openSharedDatabase(database: SharedDatabase, now: () => number = Date.now): Promise<OpenedSharedDatabase> {
  const fileRoot = database.rootKeyFile !== undefined ? await RootKey.load(database.rootKeyFile) : undefined;
  const store = await openStore(database, now);
  let rootKey: RootOfTrust | undefined = fileRoot;
  try {
    const shown = redactDatabaseUrl(database.databaseUrl);
    rootKey ??= await openRootOfTrust(database.rootOfTrust ?? { kind: 'file' }, { settings: store.settings, mayCreate: false }).catch((error: unknown) => {
      throw new Error(`database ${shown}: ${error instanceof Error ? error.message : String(error)}`);
    });
    const state = await initialisation(store, rootKey);
    if (state.kind === 'other-root-key') {
      const which = database.rootKeyFile !== undefined ? `the root key in ${database.rootKeyFile}` : `the ${rootKey.kind} root of trust`;
      throw new Error(
        `${which} (check value ${rootKey.id}) is not the one database ${shown} was initialised with ` +
          `(check value ${state.stored}): every node must use the root of trust made by 'strongroom init'`,
      );
    }
    if (state.kind !== 'initialised') {
      throw new Error(`database ${shown} is not initialised: run 'strongroom init --database-url URL' with the same root of trust once first`);
    }
    return { rootKey, store, administratorAccountId: state.administratorAccountId };
  } catch (error) {
    rootKey?.destroy();
    await store.close();
    throw error;
  }
}

/**
 * `strongroom init`: prepares a new shared database — the schema, the root key's check value, the audit signing
 * key (wrapped), the first account and its administrator, whose credentials are printed once (and written to `credentialsPath` when given) —
 * creating the root key file (32 random bytes, mode 0600) when it does not exist. Two `init`s at once cannot both
 * initialise it (the second is refused while the first holds the lock, or finds the work done); an `init` that
 * died half way is finished by the next one with the same root key.
 */
export async function initialiseSharedDatabase(
  database: SharedDatabase,
  options: { readonly credentialsPath?: string; readonly region: string; readonly print: (text: string) => void; readonly now?: () => number },
): Promise<Administrator> {
  const now = options.now ?? Date.now;
  const fileRoot = database.rootKeyFile !== undefined ? await RootKey.loadOrCreate(database.rootKeyFile) : undefined;
  const store = await openStore(database, now);
  const shown = redactDatabaseUrl(database.databaseUrl);
  try {
    const rootKey = fileRoot ?? (await openRootOfTrust(database.rootOfTrust ?? { kind: 'file' }, { settings: store.settings, mayCreate: true }));
    const done = await store.exclusively('init', async () => {
      const state = await initialisation(store, rootKey);
      if (state.kind === 'initialised') throw new Error(`database ${shown} is already initialised (account ${state.administratorAccountId})`);
      if (state.kind === 'other-root-key') {
        throw new Error(`database ${shown} was begun with another root key (check value ${state.stored}, this one ${rootKey.id})`);
      }
      // The check value first: from here on only this root key can finish or use the database.
      if (state.kind === 'new') await store.settings.put(ROOT_KEY_CHECK_SETTING, rootKey.id);
      // The audit signing key now, once: nodes starting together would otherwise each make one, and all but the
      // last one stored would sign digests that no stored public key verifies.
      await loadOrCreateAuditSigningKey(store.settings, rootKey);
      return ensureAdministrator(store, rootKey, {
        ...(options.credentialsPath !== undefined ? { credentialsPath: options.credentialsPath } : {}),
        region: options.region,
        now: now(),
        print: options.print,
      });
    });
    if (done === undefined) throw new Error(`another 'strongroom init' is preparing database ${shown} right now`);
    return done;
  } finally {
    await store.close();
  }
}

type Initialisation =
  | { readonly kind: 'new' }
  /** The check value is there, the administrator not yet: an `init` stopped half way. */
  | { readonly kind: 'begun' }
  | { readonly kind: 'initialised'; readonly administratorAccountId: string }
  | { readonly kind: 'other-root-key'; readonly stored: string };

async function initialisation(store: Store, rootKey: RootOfTrust): Promise<Initialisation> {
  const stored = await store.settings.get(ROOT_KEY_CHECK_SETTING);
  if (stored === undefined) return { kind: 'new' };
  if (stored !== rootKey.id) return { kind: 'other-root-key', stored };
  const administratorAccountId = await store.settings.get(ADMINISTRATOR_ACCOUNT_SETTING);
  return administratorAccountId === undefined ? { kind: 'begun' } : { kind: 'initialised', administratorAccountId };
}

/** The store, or an error that names the database without its password and says why it could not be opened. */
async function openStore(database: SharedDatabase, now: () => number): Promise<Store> {
  try {
    return await openPostgresStore({ databaseUrl: database.databaseUrl, now });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // A driver's message names no password, but whatever it quotes is shown redacted all the same.
    throw new Error(`cannot open database ${redactDatabaseUrl(database.databaseUrl)}: ${redactDatabaseSecrets(reason, database.databaseUrl)}`);
  }
}
