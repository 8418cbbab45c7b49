import { CacheCounter } from '../../observability/cache-counter.js';
import type { Store } from '../store.js';
import { SqliteAliasRepository } from './alias-repository.js';
import { accessKeyCacheKey, keyCacheKey, keyStoreCacheKey, withCachedLookups } from '../cached-lookup.js';
import { SqliteChangeGeneration } from './change-generation.js';
import { openConnection } from './connection.js';
import { SqliteCustomKeyStoreRepository } from './custom-key-store-repository.js';
import { SqliteGrantRepository } from './grant-repository.js';
import { SqliteIdentityRepository } from './identity-repository.js';
import { SqliteKeyRepository } from './key-repository.js';
import { migrate } from './migrations/migrate.js';
import { rewrapSqliteSecrets } from './secret-rewrap.js';
import { SqliteSettingsRepository } from './settings-repository.js';
import { SqliteStateReset } from './state-reset.js';
import { SqliteXksCredentialRepository } from './xks-credential-repository.js';

export { UnsupportedSchemaVersionError } from './migrations/migrate.js';

export interface SqliteStoreOptions {
  /** The database file (created when absent), or `':memory:'` for a throw-away store in tests. */
  readonly path: string;
  /** Epoch milliseconds; stamps the migrations applied. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/**
 * Opens (creating or upgrading as needed) the embedded SQLite store. Several processes may open the same
 * file at once — the server runs one per CPU core — and see each other's committed writes. Every write
 * resolves after its transaction has committed with `synchronous=FULL`, i.e. after it is on disk.
 *
 * Rejects with `UnsupportedSchemaVersionError` when the file was written by a newer Strongroom.
 *
 * @example
 *   const store = await openSqliteStore({ path: join(dataDir, 'strongroom.db') });
 *   const key = await store.keys.get({ accountId, region }, keyId);
 *   await store.close();
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const db = openConnection(options.path);
  try {
    migrate(db, options.path, options.now ?? Date.now);
    const generation = new SqliteChangeGeneration(db);
    const stateReset = new SqliteStateReset(db, generation);
    const counts = new CacheCounter();
    return {
      // The two lookups every request makes are answered from memory while the database is unchanged.
      keys: withCachedLookups(new SqliteKeyRepository(db), generation, { get: keyCacheKey }, { counts }),
      aliases: new SqliteAliasRepository(db),
      identities: withCachedLookups(new SqliteIdentityRepository(db), generation, { getAccessKey: accessKeyCacheKey }, { counts }),
      grants: new SqliteGrantRepository(db),
      settings: new SqliteSettingsRepository(db),
      // Read for every request under a key in a store (its connection state), so cached as keys are.
      keyStores: withCachedLookups(new SqliteCustomKeyStoreRepository(db), generation, { get: keyStoreCacheKey }, { counts }),
      // Read for every XKS proxy request (its signature needs the wrapped secret), so cached as access keys are.
      xksCredentials: withCachedLookups(new SqliteXksCredentialRepository(db), generation, { get: (accessKeyId: string) => accessKeyId }, { counts }),
      lookupCounts: counts,
      clearState: async () => stateReset.clear(),
      onStateCleared: (listener) => stateReset.onCleared(listener),
      catchUp: async () => {},
      exclusively: (_name, work) => work(),
      rewrapSecrets: async (rewrap) => rewrapSqliteSecrets(db, rewrap),
      async close(): Promise<void> {
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
