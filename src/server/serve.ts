import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { createHttpServer } from '../api/http/http-server.js';
import type { ReadinessChecks } from '../api/health-endpoints.js';
import { countedJobRun, runKeyLifecycleJob } from '../observability/background-job-report.js';
import type { NodeScrape } from '../observability/cluster-metrics.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createOperationalServer } from '../observability/operational-listener.js';
import type { ProcessMetrics } from '../observability/process-metrics.js';
import { servingMetrics, workersListening, type ServingMetrics } from '../observability/serving-metrics.js';
import { scheduleBackgroundJobs } from '../service/background-jobs.js';
import { loadQuotaTable } from '../service/quotas/quota-file.js';
import type { QuotaTable } from '../service/quotas/quota-table.js';
import { applySeed, describeSeedOutcome } from '../service/seeding/apply-seed.js';
import type { SeedDocument } from '../service/seeding/seed-document.js';
import type { ServerConfig } from './config.js';
import { scheduleAuditRetention } from './audit/retention-job.js';
import { dataDirectoryLayout } from './data-directory.js';
import { ensureAdministrator, type Administrator } from './first-start.js';
import { openNode, type StrongroomNode } from './node.js';
import type { NodeStorage } from './node-storage.js';
import type { AuditTrail } from './audit/audit-trail.js';
import { redactDatabaseUrl } from '../store/postgres/database-url.js';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import { readPassphrase } from './root-of-trust/passphrase.js';
import { ADMINISTRATOR_ACCOUNT_SETTING, type Store } from '../store/store.js';
import { answerWorkerLeases, servingQuotas } from './quota-leasing.js';
import { loadTlsCredentials, type LoadedTlsCredentials } from './tls/tls-credentials.js';
import { withXksClientCheck } from '../xks/proxy/xks-client-certificates.js';
import { forkServingWorkers, openOrderFromPrimary, type ServingWorkers, type WorkerMessage } from './serving-workers.js';

const BACKGROUND_JOB_INTERVAL_MS = 60_000;


/**
 * Runs the server until SIGTERM/SIGINT, then stops cleanly: in-flight requests finish (within a grace period)
 * and every audit chain is sealed; signals that come during the stop do not cut it short. With one worker it
 * serves from this process; with more, this process is the primary (first-start set-up, background jobs,
 * supervision) and each worker serves on the shared port.
 * Prints (through `print`) one line when ready to answer. Rejects with a message when it cannot start.
 * `workers`: the serving processes, when the caller forked them early (serving-workers.ts); else forked here.
 */
export async function serve(config: ServerConfig, print: (text: string) => void, workers?: ServingWorkers): Promise<void> {
  const log = createLogger(undefined, { format: config.logFormat });
  // Listening for the stop signal starts before anything is printed: a supervisor may send it the moment it
  // reads the ready line. It lasts until the process exits, so that no later signal kills a stop in progress.
  const stopRequested = waitForStopSignal(log);
  if (cluster.isWorker) return serveAsWorker(config, log, stopRequested);
  // A passphrase typed at the prompt is asked once, here, and handed to the workers over their IPC channel.
  config = await withTypedPassphrase(config);
  // A seed file is read and checked first: a wrong one starts nothing (and names the entry and why).
  // The seed parser (and its YAML parser) is loaded only when there is a seed file: every start would pay ~50 ms.
  const seed = config.seedFile !== undefined
    ? await (await import('../service/seeding/parse-seed-file.js')).readSeedFile(config.seedFile)
    : undefined;
  // Before anything else, so a bad certificate refuses to start; the self-signed one is generated here, before
  // any worker is forked, so workers only read it.
  const tls = config.tls ? await withXksClientCheck(await loadTlsCredentials(config.tls, config.dataDir), config.xksProxy) : undefined;
  const quotaTable = await loadQuotaTable(config.quotas);
  const observed = servingMetrics(config, log);
  const { metrics, scrape } = observed;
  const node = await openNode(nodeOptions(config, log, quotaTable, observed));
  // The primary (or the only process) reports for the node: the keys by state, the background jobs.
  metrics?.watchKeyStates(() => node.store.keys.countByState());
  const admin = await administrator(node, config, print);
  // Applied by the primary, before any worker starts and before the ready line (docs/seeding.md).
  if (seed) await applySeedFile(node, seed, print);
  // Once across the nodes of a shared database, whichever gets there first (Store.exclusively).
  const jobs = scheduleBackgroundJobs(
    () => runKeyLifecycleJob({ log, metrics }, (onEvent) => node.store.exclusively('background-jobs', () => node.runDueJobs(onEvent))),
    BACKGROUND_JOB_INTERVAL_MS,
    (error) => log.error('background-job-failed', { error: String(error) }),
  );
  const retentionDays = config.audit?.retentionDays;
  const retention = node.audit && retentionDays !== undefined
    ? scheduleAuditRetention(retainedOnce(node.audit, node.store, metrics), { retentionDays, log, ...(config.audit?.archiveDir ? { archiveDir: config.audit.archiveDir } : {}) })
    : undefined;
  // With workers, this process owns the node's request quota buckets and leases tokens to them (quota-leasing.ts).
  const stopLeasing = config.workers > 1 && quotaTable ? answerWorkerLeases(quotaTable) : undefined;
  // Before the workers open: a metrics port that is taken refuses the start before anything serves.
  const operational = config.metricsPort === undefined ? undefined : await listenOperational(config, node.readiness, scrape);
  const stopServing = config.workers === 1
    ? await listenInProcess(node, config, tls)
    : await (workers ?? forkServingWorkers(config.workers)).open({ passphrase: typedPassphrase(config), log });
  const address = `${tls ? 'https' : 'http'}://${hostInUrl(config.host)}:${stopServing.port}`;
  if (tls) print(`TLS certificate ${tls.certFile}, SHA-256 fingerprint ${tls.fingerprint}\n`);
  if (config.xksProxy) {
    const mutual = config.xksProxy.clientCaFile !== undefined ? ', client certificates required' : '';
    print(`XKS proxy API at ${address}${config.xksProxy.uriPrefix}/kms/xks/v1 (docs/xks-proxy.md${mutual})\n`);
  }
  if (config.devAnyCredentials) {
    log.warn('dev-any-credentials', { host: config.host, message: 'requests are accepted without checking their signatures; never in production' });
  }
  print(
    `Strongroom listening on ${address} (${admin ? `account ${admin.accountId}` : 'ephemeral: in memory, nothing written'}, ${config.workers} worker${config.workers > 1 ? 's' : ''}` +
      `${config.database ? `, database ${redactDatabaseUrl(config.database.databaseUrl)}` : ''}` +
      `${config.dev ? `, development mode: test/test is the root of account ${config.devAccountId}` : ''}` +
      `${config.devAnyCredentials ? ', any access key id accepted unsigned (--dev-any-credentials)' : ''})\n`,
  );
  // After the ready line, which scripts read for the first URL printed.
  const metricsAddress = operational ? `http://${hostInUrl(config.host)}:${operational.port}` : address;
  if (operational) print(`Metrics at ${metricsAddress}/metrics, health at /healthz and /readyz on that port (not on ${address})\n`);
  else if (metrics) print(`Metrics at ${address}/metrics, health at /healthz and /readyz\n`);
  log.info('server-started', {
    address,
    workers: config.workers,
    store: config.ephemeral ? 'memory' : config.database ? 'postgresql' : 'sqlite',
    ...(config.database ? { database: redactDatabaseUrl(config.database.databaseUrl) } : config.ephemeral ? {} : { dataDir: config.dataDir }),
    ...(metrics ? { metrics: `${metricsAddress}/metrics` } : {}),
    audit: config.audit !== undefined,
    pid: process.pid,
  });
  await stopRequested;
  await stopServing.stop();
  await operational?.stop();
  stopLeasing?.();
  await jobs.stop();
  retention?.stop();
  scrape?.stop();
  await node.close();
  log.info('server-stopped', { pid: process.pid });
}

/** `host` as it goes in a URL (an IPv6 address in brackets). */
function hostInUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * `--metrics-port`: `/metrics`, `/healthz` and `/readyz` on a listener of their own, in this process (the primary,
 * with workers: its `/readyz` also checks that every worker is up).
 */
async function listenOperational(config: ServerConfig, readiness: ReadinessChecks, scrape: NodeScrape | undefined) {
  const checks = config.workers === 1 ? readiness : { ...readiness, workers: workersListening(config.workers) };
  const server = createOperationalServer({ readiness: checks, ...(scrape ? { metrics: scrape.scrape } : {}) });
  const port = await listen(server, { host: config.host, port: config.metricsPort ?? 0 });
  return { port, stop: () => closeServer(server) };
}

/**
 * The account whose root administers: on a data directory's first start it is created here, its credentials
 * printed and written to `<data-dir>/credentials`; a shared database's was created by `strongroom init`. An
 * ephemeral server has none: test/test (development mode) is how clients get in.
 */
async function administrator(node: StrongroomNode, config: ServerConfig, print: (text: string) => void): Promise<Administrator | undefined> {
  if (config.ephemeral) return undefined;
  if (config.database) {
    const accountId = await node.store.settings.get(ADMINISTRATOR_ACCOUNT_SETTING);
    return accountId === undefined ? undefined : { accountId };
  }
  return ensureAdministrator(node.store, node.rootKey, {
    credentialsPath: dataDirectoryLayout(config.dataDir).credentials,
    region: config.defaultRegion,
    now: Date.now(),
    print,
  });
}

/**
 * The trail with its retention run once across the nodes sharing its store (skipped while another node runs it),
 * each run counted in the metrics.
 */
function retainedOnce(trail: AuditTrail, store: Store, metrics: ProcessMetrics | undefined): AuditTrail {
  return {
    ...trail,
    applyRetention: async (retentionDays, archiveDir) =>
      (await countedJobRun(metrics, 'audit-retention', () => store.exclusively('audit-retention', () => trail.applyRetention(retentionDays, archiveDir))))
        ?? { removed: [], refused: [] },
  };
}

/** Applies the seed file to the node's store; a file that disagrees with the store stops the start. */
async function applySeedFile(node: StrongroomNode, seed: SeedDocument, print: (text: string) => void): Promise<void> {
  try {
    print(describeSeedOutcome(seed.source, await applySeed(node.deps, seed)));
  } catch (error) {
    await node.close();
    throw error;
  } finally {
    seed.wipe();
  }
}

/**
 * A primary that runs workers serves no request: its audit trail holds only background jobs' events (a few an
 * hour), so its journal files are small, and a start needs the space of the workers' journals only.
 */
const PRIMARY_JOURNAL_FILE_BYTES = 256 * 1024;

function nodeOptions(config: ServerConfig, log: Logger, quotaTable: QuotaTable | undefined, observed: ServingMetrics) {
  const { metrics, scrape } = observed;
  const servesRequests = config.workers === 1 || cluster.isWorker;
  const journalFileBytes = servesRequests ? config.audit?.journalFileBytes : PRIMARY_JOURNAL_FILE_BYTES;
  const quotas = servesRequests ? servingQuotas(quotaTable) : undefined;
  return {
    ...(quotas ? { quotas } : {}),
    ...(metrics ? { metrics } : {}),
    // The API port answers the operational endpoints unless they have a port of their own.
    operationalEndpoints: servesRequests && config.metricsPort === undefined ? { ...(scrape ? { metrics: scrape.scrape } : {}) } : false as const,
    ...storageOf(config),
    log,
    ...(config.dev ? { devAccountId: config.devAccountId } : {}),
    ...(config.dev && config.devAnyCredentials ? { devAnyCredentials: true } : {}),
    // Development mode's reset applies the seed file again (development-reset.ts).
    ...(config.dev && config.seedFile !== undefined ? { seedFile: config.seedFile } : {}),
    ...(config.xksProxy
      ? { xksProxy: { uriPrefix: config.xksProxy.uriPrefix, ...(config.xksProxy.clientCaFile !== undefined ? { requireClientCertificate: true } : {}) } }
      : {}),
    ...(config.audit
      ? {
          audit: {
            defaultRegion: config.defaultRegion,
            ...(config.audit.stream ? { stream: config.audit.stream } : {}),
            ...(journalFileBytes !== undefined ? { journalFileBytes } : {}),
          },
        }
      : {}),
  };
}

function storageOf(config: ServerConfig): NodeStorage {
  if (config.database) return { database: { ...config.database, rootOfTrust: config.rootOfTrust } };
  return config.ephemeral ? { ephemeral: true } : { dataDir: config.dataDir, rootOfTrust: config.rootOfTrust };
}

/** Whether the root of trust's passphrase is to be typed (no file names it). */
function typesPassphrase(config: ServerConfig): boolean {
  return config.rootOfTrust.kind === 'passphrase' && config.rootOfTrust.passphraseFile === undefined;
}

/** The primary's config with the passphrase read at the prompt, when one is to be typed. */
async function withTypedPassphrase(config: ServerConfig): Promise<ServerConfig> {
  if (!typesPassphrase(config) || config.rootOfTrust.kind !== 'passphrase') return config;
  const passphrase = await readPassphrase(undefined);
  return { ...config, rootOfTrust: { ...config.rootOfTrust, passphrase } };
}

/** The passphrase typed at the primary's prompt, if any: the workers receive it with the order to open. */
function typedPassphrase(config: ServerConfig): SecretBytes | undefined {
  return config.rootOfTrust.kind === 'passphrase' ? config.rootOfTrust.passphrase : undefined;
}

/** A worker's config with the passphrase its primary sent (never through the environment or the command line). */
function withPassphraseFromPrimary(config: ServerConfig, passphrase: SecretBytes | undefined): ServerConfig {
  if (!typesPassphrase(config) || config.rootOfTrust.kind !== 'passphrase' || passphrase === undefined) return config;
  return { ...config, rootOfTrust: { ...config.rootOfTrust, passphrase } };
}

async function listenInProcess(node: StrongroomNode, config: ServerConfig, tls: LoadedTlsCredentials | undefined) {
  const server = createHttpServer(node.app, tls);
  const port = await listen(server, config);
  return { port, stop: () => closeServer(server) };
}

async function serveAsWorker(workerConfig: ServerConfig, log: Logger, stopRequested: Promise<void>): Promise<void> {
  const report = (message: WorkerMessage) => process.send?.(message);
  // Forked as the primary started: nothing is opened before the primary has set the node up.
  const order = await openOrderFromPrimary(stopRequested);
  if (order === undefined) process.exit(0);
  const config = withPassphraseFromPrimary(workerConfig, order.passphrase);
  let node: StrongroomNode;
  let server: Server;
  const observed = servingMetrics(config, log);
  try {
    const tls = config.tls ? await withXksClientCheck(await loadTlsCredentials(config.tls, config.dataDir), config.xksProxy) : undefined;
    node = await openNode(nodeOptions(config, log, await loadQuotaTable(config.quotas), observed));
    server = createHttpServer(node.app, tls);
    report({ type: 'listening', port: await listen(server, config) });
  } catch (error) {
    report({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  await stopRequested;
  await closeServer(server);
  observed.scrape?.stop();
  await node.close();
  process.exit(0);
}

/** Listens on `config.port` (0: a free one) and resolves with the port; rejects with a message naming the address. */
export function listen(server: Server, config: Pick<ServerConfig, 'host' | 'port'>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${config.port} on ${config.host} is already in use`
            : `cannot listen on ${config.host}:${config.port}: ${error.message}`,
        ),
      );
    });
    server.listen(config.port, config.host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : config.port);
    });
  });
}

/**
 * Stops accepting connections and lets in-flight requests finish. Keep-alive connections are closed as soon as
 * they fall idle; after `graceMs` whatever remains is cut.
 */
export function closeServer(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Resolves on the first SIGTERM or SIGINT, and keeps listening for the life of the process: with no listener
 * left, Node applies the signal's default action and the process dies where it stands. A clean stop often gets
 * more than one signal: one sent to the process group (Ctrl-C, `kill -- -PGID`, a container runtime) reaches
 * each worker directly and again from the primary's `stop()`, and people press Ctrl-C twice. The second one
 * used to kill workers in the middle of their stop, before they sealed their chains. Now the stop in progress
 * finishes (in-flight requests have the grace period of `closeServer`, then the trail is sealed and closed).
 */
function waitForStopSignal(log: Logger): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        log.info('server-stop-in-progress', { signal, pid: process.pid });
        return;
      }
      stopping = true;
      log.info('server-stopping', { signal, pid: process.pid });
      resolve();
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  });
}
