import { App } from '../api/app.js';
import { discardOutcomes, type OutcomeSink } from '../api/outcome.js';
import { Authenticator } from '../auth/authenticator.js';
import { accountBoundaryAuthorizer, type Authorizer } from '../auth/authorizer.js';
import { CredentialResolver } from '../auth/credential-resolver.js';
import { RootKey } from '../crypto/root-key.js';
import { MaterialCache } from '../keys/material-cache.js';
import type { Logger } from '../observability/logger.js';
import { runDueJobs, type ServiceEvent } from '../service/background-jobs.js';
import { defaultIdSources, type ServiceDependencies } from '../service/services.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import type { Store } from '../store/store.js';
import { dataDirectoryLayout, prepareDataDirectory } from './data-directory.js';

export interface NodeOptions {
  readonly dataDir: string;
  /** The development account whose root `test`/`test` is (development mode only). */
  readonly devAccountId?: string;
  readonly log: Logger;
  readonly now?: () => number;
  readonly newKeyId?: () => string;
  readonly authorizer?: Authorizer;
  readonly outcomes?: OutcomeSink;
}

/** One Strongroom node: the store, the root key and the API over them. Several may share a data directory. */
export interface StrongroomNode {
  readonly app: App;
  readonly deps: ServiceDependencies;
  readonly store: Store;
  readonly rootKey: RootKey;
  runDueJobs(onEvent?: (event: ServiceEvent) => Promise<void>): Promise<ServiceEvent[]>;
  close(): Promise<void>;
}

/** The composition root of a node: open storage and the root of trust, build the services, wire the API. */
export async function openNode(options: NodeOptions): Promise<StrongroomNode> {
  const now = options.now ?? Date.now;
  await prepareDataDirectory(options.dataDir);
  const layout = dataDirectoryLayout(options.dataDir);
  const rootKey = await RootKey.loadOrCreate(layout.rootKey);
  const store = await openSqliteStore({ path: layout.database, now });
  const materials = new MaterialCache();
  const deps: ServiceDependencies = {
    store,
    rootKey,
    materials,
    now,
    ...defaultIdSources(),
    ...(options.newKeyId ? { newKeyId: options.newKeyId } : {}),
  };
  const credentials = new CredentialResolver({
    identities: store.identities,
    rootKey,
    now,
    ...(options.devAccountId !== undefined ? { devAccountId: options.devAccountId } : {}),
  });
  const app = new App({
    authenticator: new Authenticator(credentials, now),
    pipeline: { deps, authorizer: options.authorizer ?? accountBoundaryAuthorizer },
    outcomes: options.outcomes ?? discardOutcomes,
    log: options.log,
    now,
  });
  return {
    app,
    deps,
    store,
    rootKey,
    runDueJobs: (onEvent) => runDueJobs(deps, onEvent),
    async close() {
      materials.clear();
      await store.close();
    },
  };
}
