import { App } from '../api/app.js';
import { discardOutcomes, type OutcomeSink } from '../api/outcome.js';
import { Authenticator } from '../auth/authenticator.js';
import type { Authorizer } from '../auth/authorization/authorizer.js';
import { CredentialResolver } from '../auth/credential-resolver.js';
import { KeyGrantCache } from '../auth/grants/key-grants.js';
import { decisionLogFields, PolicyAuthorizer } from '../auth/authorization/policy-authorizer.js';
import { createKeyPairGenerator } from '../crypto/key-generation/key-pair-generator.js';
import type { RootOfTrust } from '../crypto/root-of-trust.js';
import { MaterialCache } from '../keys/material-cache.js';
import type { Logger } from '../observability/logger.js';
import type { ProcessMetrics } from '../observability/process-metrics.js';
import type { ReadinessChecks } from '../api/health-endpoints.js';
import { runDueJobs, type ServiceEvent } from '../service/background-jobs.js';
import { PrivateKeyCache } from '../service/private-key-cache.js';
import type { RequestQuotas } from '../service/quotas/request-quotas.js';
import { KeyStoreTokens } from '../service/custom-key-stores/key-store-tokens.js';
import { XksClient } from '../xks/xks-client.js';
import { defaultIdSources, type ServiceDependencies } from '../service/services.js';
import type { Store } from '../store/store.js';
import type { AuditTrail, AuditTrailSettings } from './audit/audit-trail.js';
import { openNodeAuditTrail, openNodeStorage, type NodeStorage } from './node-storage.js';
import { developmentReset } from './development-reset.js';
import { nodeReadinessChecks } from './readiness-checks.js';
import { XksProxy } from '../xks/proxy/xks-proxy-endpoint.js';
import { builtConsoleDirectory, consoleAssetsIn } from './console-assets.js';

/** `{ dataDir }`, or `{ ephemeral: true }`: everything in memory, nothing written (node-storage.ts). */
export type NodeOptions = NodeSettings & NodeStorage;

interface NodeSettings {
  /** The development account whose root `test`/`test` is (development mode only). */
  readonly devAccountId?: string;
  /** `--dev-any-credentials` (with `devAccountId` only): any access key id, signature unchecked (credential-resolver.ts). */
  readonly devAnyCredentials?: boolean;
  /** The seed file the server started with: applied again after each development-mode reset. */
  readonly seedFile?: string;
  readonly log: Logger;
  readonly now?: () => number;
  readonly newKeyId?: () => string;
  readonly authorizer?: Authorizer;
  readonly outcomes?: OutcomeSink;
  /** Wraps the opened store (tests inject storage faults with it). */
  readonly wrapStore?: (store: Store) => Store;
  /** Record the audit trail in `<data-dir>/audit.db`, or in memory (it then is the outcome sink, replacing `outcomes`). */
  readonly audit?: AuditTrailSettings;
  /** AWS's request quotas, for the request pipeline (none: no request is throttled). */
  readonly quotas?: RequestQuotas;
  /** Serve the XKS proxy API too (`--xks-proxy`, docs/xks-proxy.md): under `uriPrefix`; with mutual TLS only to verified clients. */
  readonly xksProxy?: { readonly uriPrefix: string; readonly requireClientCertificate?: boolean };
  /**
   * PEM certificate authorities trusted for XKS proxies besides Node's own: for tests, whose proxies have certificates
   * of their own making. Operators use `NODE_EXTRA_CA_CERTS` (docs/external-key-stores.md).
   */
  readonly xksTrustedCertificates?: string;
  /** Where the built web console is (default: dist/console, which `npm run build` writes); served at `/console/`. */
  readonly consoleDirectory?: string;
  /** Where this process records its metrics (requests, caches, audit commits); none: nothing is measured. */
  readonly metrics?: ProcessMetrics;
  /**
   * The API port's `/healthz`, `/readyz` and, with `metrics`, `/metrics` (the node's metrics as text); default: the
   * probes without `/metrics`. `false`: they have a listener of their own (`--metrics-port`) and are unknown paths here.
   */
  readonly operationalEndpoints?: { readonly metrics?: () => Promise<string> } | false;
}

/** One Strongroom node: the store, the root key and the API over them. Several may share a data directory. */
export interface StrongroomNode {
  readonly app: App;
  readonly deps: ServiceDependencies;
  readonly store: Store;
  readonly rootKey: RootOfTrust;
  /** Present when the node records its audit trail. */
  readonly audit?: AuditTrail;
  /** What `/readyz` checks on this node (for a `--metrics-port` listener of its own). */
  readonly readiness: ReadinessChecks;
  /** Runs due background jobs; with an audit trail, each one's event is recorded before `onEvent` sees it. */
  runDueJobs(onEvent?: (event: ServiceEvent) => Promise<void>): Promise<ServiceEvent[]>;
  close(): Promise<void>;
}

/** The composition root of a node: open storage and the root of trust, build the services, wire the API. */
export async function openNode(options: NodeOptions): Promise<StrongroomNode> {
  const now = options.now ?? Date.now;
  const { rootKey, store: opened } = await openNodeStorage(options, now);
  const store = options.wrapStore ? options.wrapStore(opened) : opened;
  const audit = options.audit
    ? await openNodeAuditTrail(options, {
        ...options.audit, store, rootKey, now, log: options.log,
        ...(options.metrics ? { onCommit: options.metrics.auditCommitted.bind(options.metrics) } : {}),
      })
    : undefined;
  const materials = new MaterialCache();
  const privateKeys = new PrivateKeyCache();
  const keyPairs = createKeyPairGenerator({
    // Only the error's type: nothing of a key pair may reach the log.
    onBackgroundError: (error) =>
      options.log.error('background RSA key generation failed', { errorType: error instanceof Error ? error.name : typeof error }),
  });
  const keyStoreTokens = new KeyStoreTokens();
  const xksClient = new XksClient(options.xksTrustedCertificates !== undefined ? { extraCertificateAuthorities: options.xksTrustedCertificates } : {});
  const deps: ServiceDependencies = {
    store,
    rootKey,
    materials,
    privateKeys,
    keyStoreTokens,
    xksClient,
    keyPairs,
    now,
    ...defaultIdSources(),
    ...(options.newKeyId ? { newKeyId: options.newKeyId } : {}),
    ...(audit ? { keyUsage: audit.keyUsage } : {}),
    ...(options.devAccountId !== undefined ? { developmentMode: true } : {}),
  };
  const credentials = new CredentialResolver({
    identities: store.identities,
    rootKey,
    now,
    ...(options.devAccountId !== undefined ? { devAccountId: options.devAccountId } : {}),
    ...(options.devAnyCredentials === true ? { acceptAnyAccessKeyId: true } : {}),
  });
  const grants = new KeyGrantCache(store.grants);
  // After a development-mode reset keys come back with the same ids at revision 1: nothing cached before may serve.
  store.onStateCleared(() => {
    materials.clear();
    privateKeys.clear();
    grants.clear();
    keyStoreTokens.closeAll();
  });
  // The explanation of a denial goes to the server log only; the caller sees AWS's message.
  const authorizer = options.authorizer ??
    new PolicyAuthorizer({ store, now, grants, onDenied: (explained, { requestId }) => options.log.info('authorization denied', { requestId, ...decisionLogFields(explained) }) });
  const readiness = nodeReadinessChecks({ store, rootKey, ...(audit ? { audit } : {}) });
  const authenticator = new Authenticator(credentials, now);
  options.metrics?.watchCaches({
    'key-material': materials.counts,
    'private-key': privateKeys.counts,
    grants: grants.counts,
    'sigv4-signing-key': authenticator.signingKeyCounts,
    ...(store.lookupCounts ? { 'store-lookup': store.lookupCounts } : {}),
  });
  const operational = options.operationalEndpoints;
  const xksProxy = options.xksProxy && new XksProxy({
    uriPrefix: options.xksProxy.uriPrefix,
    deps,
    authorizer,
    health: { checks: readiness, rootOfTrustId: rootKey.id, rootOfTrustKind: rootKey.kind },
    log: options.log,
    ...(options.xksProxy.requireClientCertificate === true ? { requireClientCertificate: true } : {}),
  });
  const app = new App({
    authenticator,
    pipeline: { deps, authorizer, ...(options.quotas ? { quotas: options.quotas } : {}) },
    // Administrators' explanations come from the authorizer that enforces (none when a test replaced it).
    ...(authorizer instanceof PolicyAuthorizer ? { explainer: authorizer } : {}),
    outcomes: audit?.outcomes ?? options.outcomes ?? discardOutcomes,
    ...(audit ? { cloudTrail: audit.lookupEvents, verifyAuditTrail: () => audit.verify() } : {}),
    ...(operational === false ? {} : { operational: { readiness, ...(operational?.metrics ? { metrics: operational.metrics } : {}) } }),
    ...(options.metrics ? { observer: options.metrics.requests } : {}),
    console: consoleAssetsIn(options.consoleDirectory ?? builtConsoleDirectory()),
    ...(xksProxy ? { xksProxy } : {}),
    ...(options.devAccountId !== undefined
      ? {
          developmentReset: developmentReset({
            deps,
            developmentAccountId: options.devAccountId,
            log: options.log,
            ...(options.seedFile !== undefined ? { seedFile: options.seedFile } : {}),
          }),
        }
      : {}),
    log: options.log,
    now,
  });
  return {
    app,
    deps,
    store,
    rootKey,
    ...(audit ? { audit } : {}),
    readiness,
    runDueJobs: (onEvent) =>
      runDueJobs(deps, async (event) => {
        await audit?.recordServiceEvent(event);
        await onEvent?.(event);
      }),
    async close() {
      materials.clear();
      privateKeys.clear();
      keyStoreTokens.closeAll();
      xksClient.close();
      await keyPairs.close();
      await audit?.close();
      await store.close();
    },
  };
}
