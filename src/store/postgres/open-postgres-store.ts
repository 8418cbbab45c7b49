import type { KeyScope } from '../../keys/key.js';
import { CacheCounter } from '../../observability/cache-counter.js';
import { accessKeyCacheKey, keyCacheKey, keyStoreCacheKey, withCachedLookups } from '../cached-lookup.js';
import type { Store } from '../store.js';
import { PostgresAliasRepository } from './alias-repository.js';
import { openPool } from './connection.js';
import { ChangeCounter } from './change-counter.js';
import { PostgresCustomKeyStoreRepository } from './custom-key-store-repository.js';
import { redactDatabaseUrl } from './database-url.js';
import { runExclusively } from './exclusive-job.js';
import { PostgresGrantRepository } from './grant-repository.js';
import { PostgresIdentityRepository } from './identity-repository.js';
import { PostgresKeyRepository } from './key-repository.js';
import { migrate } from './migrations/migrate.js';
import { rewrapPostgresSecrets } from './secret-rewrap.js';
import { PostgresSettingsRepository } from './settings-repository.js';
import { PostgresStateReset } from './state-reset.js';
import { PostgresXksCredentialRepository } from './xks-credential-repository.js';

export { UnsupportedSchemaVersionError } from './migrations/migrate.js';
export { redactDatabaseUrl } from './database-url.js';

export interface PostgresStoreOptions {
  /**
   * A libpq connection string: `postgresql://user:password@host:5432/database?sslmode=verify-full`. A schema
   * other than `public` is chosen with `?options=-c%20search_path%3D<schema>`. Never logged as it is: see
   * `redactDatabaseUrl`.
   */
  readonly databaseUrl: string;
  /** Connections this node keeps open at most (default `DEFAULT_POOL_SIZE`). */
  readonly poolSize?: number;
  /** Epoch milliseconds; stamps the migrations applied. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** Told about errors of idle pooled connections (the pool replaces them). */
  readonly onIdleError?: (error: Error) => void;
}

/**
 * Opens (creating or upgrading the schema as needed) the PostgreSQL store, which several Strongroom nodes share.
 * Every write resolves after its `COMMIT` has returned, i.e. once it is durable; concurrent changes to one key
 * from different nodes are detected by revision (`RevisionConflictError`), not lost. What a request reads
 * before it acts is cached, checked against a change counter read after the request arrived (ADR 0018), so every
 * request sees every commit acknowledged before it came, whichever node made it.
 *
 * Rejects with `UnsupportedSchemaVersionError` when the database was written by a newer Strongroom, and with
 * the driver's error when the database cannot be reached within `CONNECT_TIMEOUT_MS`.
 *
 * @example
 *   const store = await openPostgresStore({ databaseUrl: process.env.STRONGROOM_DATABASE_URL });
 *   const key = await store.keys.get({ accountId, region }, keyId);
 *   await store.close();
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  await migrate(options.databaseUrl, redactDatabaseUrl(options.databaseUrl), options.now ?? Date.now);
  const pool = openPool({
    databaseUrl: options.databaseUrl,
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
    ...(options.onIdleError === undefined ? {} : { onIdleError: options.onIdleError }),
  });
  try {
    const stateReset = await PostgresStateReset.open(pool);
    // What a request reads before it acts is answered from memory while the change counter stands still (ADR 0018).
    const generation = new ChangeCounter(pool);
    const counts = new CacheCounter();
    return {
      keys: withCachedLookups(new PostgresKeyRepository(pool, stateReset), generation, { get: keyCacheKey }, { counts }),
      aliases: withCachedLookups(new PostgresAliasRepository(pool), generation, {
        get: (scope: KeyScope, name: string) => `${scope.accountId}/${scope.region}/${name}`,
      }, { counts }),
      identities: withCachedLookups(new PostgresIdentityRepository(pool, stateReset), generation, {
        getAccessKey: accessKeyCacheKey,
        getAccount: (accountId: string) => accountId,
        getUser: (accountId: string, userName: string) => `${accountId}/${userName.toLowerCase()}`,
        getRole: (accountId: string, roleName: string) => `${accountId}/${roleName.toLowerCase()}`,
        listPolicies: (principalArn: string) => principalArn,
      }, { counts }),
      // Not cached, but wrapped all the same: a grant change advances its key's revision, so this node's next
      // lookup of that key must read the counter again (as after any write through a wrapped repository).
      grants: withCachedLookups(new PostgresGrantRepository(pool), generation, {}),
      settings: withCachedLookups(new PostgresSettingsRepository(pool), generation, {}),
      // Read for every request under a key in a store (its connection state), so cached as keys are.
      keyStores: withCachedLookups(new PostgresCustomKeyStoreRepository(pool), generation, { get: keyStoreCacheKey }, { counts }),
      // Read for every XKS proxy request (its signature needs the wrapped secret), so cached as access keys are.
      xksCredentials: withCachedLookups(new PostgresXksCredentialRepository(pool), generation, { get: (accessKeyId: string) => accessKeyId }, { counts }),
      lookupCounts: counts,
      async clearState() {
        try {
          return await stateReset.clear();
        } finally {
          generation.calledStore();
        }
      },
      onStateCleared: (listener) => stateReset.onCleared(listener),
      rewrapSecrets: (rewrap) => rewrapPostgresSecrets(pool, rewrap),
      catchUp: () => generation.catchUp(),
      exclusively: (name, work) => runExclusively(pool, name, work),
      async close(): Promise<void> {
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
