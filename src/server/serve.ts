import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import { createHttpServer } from '../api/http/http-server.js';
import { createLogger, type Logger } from '../observability/logger.js';
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
import { SecretBytes } from '../crypto/secret-bytes.js';
import { readPassphrase } from './root-of-trust/passphrase.js';
import { ADMINISTRATOR_ACCOUNT_SETTING, type Store } from '../store/store.js';
import { answerWorkerLeases, servingQuotas } from './quota-leasing.js';
import { loadTlsCredentials, type LoadedTlsCredentials } from './tls/tls-credentials.js';
import { withXksClientCheck } from '../xks/proxy/xks-client-certificates.js';

const BACKGROUND_JOB_INTERVAL_MS = 60_000;

type WorkerMessage = { type: 'listening'; port: number } | { type: 'failed'; message: string } | { type: 'need-passphrase' };
/** The one message a primary sends a worker as it starts: the typed passphrase of the root of trust, if any. */
type PrimaryMessage = { type: 'root-passphrase'; passphrase: string };

/**
 * Runs the server until SIGTERM/SIGINT, then stops cleanly: in-flight requests finish (within a grace period)
 * and every audit chain is sealed; signals that come during the stop do not cut it short. With one worker it
 * serves from this process; with more, this process is the primary (first-start set-up, background jobs,
 * supervision) and each worker serves on the shared port.
 * Prints (through `print`) one line when ready to answer. Rejects with a message when it cannot start.
 */
export async function serve(config: ServerConfig, print: (text: string) => void): Promise<void> {
  const log = createLogger();
  // Listening for the stop signal starts before anything is printed: a supervisor may send it the moment it
  // reads the ready line. It lasts until the process exits, so that no later signal kills a stop in progress.
  const stopRequested = waitForStopSignal(log);
  if (cluster.isWorker) return serveAsWorker(await withPassphraseFromPrimary(config), log, stopRequested);
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
  const node = await openNode(nodeOptions(config, log, quotaTable));
  const admin = await administrator(node, config, print);
  // Applied by the primary, before any worker starts and before the ready line (docs/seeding.md).
  if (seed) await applySeedFile(node, seed, print);
  // Once across the nodes of a shared database, whichever gets there first (Store.exclusively).
  const jobs = scheduleBackgroundJobs(() => node.store.exclusively('background-jobs', () => node.runDueJobs()), BACKGROUND_JOB_INTERVAL_MS, (error) =>
    log.error('background-job-failed', { error: String(error) }),
  );
  const retentionDays = config.audit?.retentionDays;
  const retention = node.audit && retentionDays !== undefined
    ? scheduleAuditRetention(retainedOnce(node.audit, node.store), { retentionDays, log, ...(config.audit?.archiveDir ? { archiveDir: config.audit.archiveDir } : {}) })
    : undefined;
  // With workers, this process owns the node's request quota buckets and leases tokens to them (quota-leasing.ts).
  const stopLeasing = config.workers > 1 && quotaTable ? answerWorkerLeases(quotaTable) : undefined;
  const stopServing = config.workers === 1 ? await listenInProcess(node, config, tls) : await startWorkers(config);
  const address = `${tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${stopServing.port}`;
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
  await stopRequested;
  await stopServing.stop();
  stopLeasing?.();
  await jobs.stop();
  retention?.stop();
  await node.close();
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

/** The trail with its retention run once across the nodes sharing its store (skipped while another node runs it). */
function retainedOnce(trail: AuditTrail, store: Store): AuditTrail {
  return {
    ...trail,
    applyRetention: async (retentionDays, archiveDir) =>
      (await store.exclusively('audit-retention', () => trail.applyRetention(retentionDays, archiveDir))) ?? { removed: [], refused: [] },
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

function nodeOptions(config: ServerConfig, log: Logger, quotaTable: QuotaTable | undefined) {
  const servesRequests = config.workers === 1 || cluster.isWorker;
  const journalFileBytes = servesRequests ? config.audit?.journalFileBytes : PRIMARY_JOURNAL_FILE_BYTES;
  const quotas = servesRequests ? servingQuotas(quotaTable) : undefined;
  return {
    ...(quotas ? { quotas } : {}),
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

/** A worker's config with the passphrase its primary sends (never through the environment or the command line). */
async function withPassphraseFromPrimary(config: ServerConfig): Promise<ServerConfig> {
  if (!typesPassphrase(config) || config.rootOfTrust.kind !== 'passphrase') return config;
  // Asked for, not awaited unasked: a message sent before this process listens would be lost.
  const answer = new Promise<PrimaryMessage>((resolve) => process.once('message', (received: PrimaryMessage) => resolve(received)));
  process.send?.({ type: 'need-passphrase' } satisfies WorkerMessage);
  const message = await answer;
  const passphrase = SecretBytes.adopt(Buffer.from(message.passphrase, 'base64'));
  return { ...config, rootOfTrust: { ...config.rootOfTrust, passphrase } };
}

async function listenInProcess(node: StrongroomNode, config: ServerConfig, tls: LoadedTlsCredentials | undefined) {
  const server = createHttpServer(node.app, tls);
  const port = await listen(server, config);
  return { port, stop: () => closeServer(server) };
}

async function serveAsWorker(config: ServerConfig, log: Logger, stopRequested: Promise<void>): Promise<void> {
  const report = (message: WorkerMessage) => process.send?.(message);
  let node: StrongroomNode;
  let server: Server;
  try {
    const tls = config.tls ? await withXksClientCheck(await loadTlsCredentials(config.tls, config.dataDir), config.xksProxy) : undefined;
    node = await openNode(nodeOptions(config, log, await loadQuotaTable(config.quotas)));
    server = createHttpServer(node.app, tls);
    report({ type: 'listening', port: await listen(server, config) });
  } catch (error) {
    report({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  await stopRequested;
  await closeServer(server);
  await node.close();
  process.exit(0);
}

/** Forks the workers and resolves once all of them listen; rejects with the first worker's failure. */
async function startWorkers(config: ServerConfig): Promise<{ port: number; stop(): Promise<void> }> {
  // The primary accepts connections and deals them out in turn. Clients keep connections alive, so this costs
  // once per connection; letting workers accept themselves (SCHED_NONE) left one worker with most of them.
  cluster.schedulingPolicy = cluster.SCHED_RR;
  let stopping = false;
  let exitedWhileStarting: ((worker: Worker, code: number, signal: string) => void) | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    let listening = 0;
    for (let i = 0; i < config.workers; i++) {
      forkWorker(config).on('message', (message: WorkerMessage) => {
        if (message.type === 'failed') reject(new Error(message.message));
        // Only the ready messages count: a worker that already serves also sends quota lease requests.
        else if (message.type === 'listening' && ++listening === config.workers) resolve(message.port);
      });
    }
    // A worker that dies before it can say why (a crash, the OOM killer) fails the start instead of hanging it.
    exitedWhileStarting = (worker, code, signal) =>
      reject(new Error(`worker ${worker.process.pid} exited with ${code ?? signal} while starting`));
    cluster.on('exit', exitedWhileStarting);
  }).catch(async (error: unknown) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    throw error;
  }).finally(() => cluster.off('exit', exitedWhileStarting!));
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    process.stderr.write(`worker ${worker.process.pid} exited with ${code}; starting another\n`);
    forkWorker(config);
  });
  return {
    port,
    async stop() {
      stopping = true;
      const exits = Object.values(cluster.workers ?? {}).map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker || worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      );
      await Promise.all(exits);
    },
  };
}

/** A new worker, answered with the typed passphrase when it asks for it. */
function forkWorker(config: ServerConfig): Worker {
  const worker = cluster.fork();
  const { rootOfTrust } = config;
  if (rootOfTrust.kind === 'passphrase' && rootOfTrust.passphrase !== undefined) {
    const passphrase = rootOfTrust.passphrase;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type !== 'need-passphrase') return;
      worker.send({ type: 'root-passphrase', passphrase: passphrase.expose().toString('base64') } satisfies PrimaryMessage);
    });
  }
  return worker;
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
