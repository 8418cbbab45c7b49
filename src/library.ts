/**
 * Strongroom as a library, for test suites: `import { startStrongroom } from 'strongroom'` starts an ephemeral
 * server in this process (no child process, no data directory, nothing written) on a free port.
 *
 * This file is the package's public surface (`exports` in package.json; bundled to dist/library.js, its types to
 * dist/library.d.ts by scripts/bundle.mjs). Its types are declared here, not imported, so that the declaration
 * file stands alone.
 */
import type { Server } from 'node:http';
import { createHttpServer } from './api/http/http-server.js';
import { DEV_ACCESS_KEY_ID } from './auth/credential-resolver.js';
import { createLogger, silentLogger } from './observability/logger.js';
import { scheduleBackgroundJobs } from './service/background-jobs.js';
import { DEV_ACCOUNT_ID } from './server/config.js';
import { openNode, type StrongroomNode } from './server/node.js';
import { closeServer, listen } from './server/serve.js';

export interface StartStrongroomOptions {
  /** The port to listen on; default 0, a free one (read it from `endpoint`). */
  readonly port?: number;
  /** The address to bind; default `127.0.0.1`. */
  readonly host?: string;
  /** The region returned for clients to sign with; default `us-east-1`. Every region is served. */
  readonly region?: string;
  /** The development account whose root `test`/`test` is (12 digits); default `000000000000`. */
  readonly accountId?: string;
  /** Receives the server's log lines (JSON, no secrets); by default they are dropped. */
  readonly onLog?: (line: string) => void;
}

export interface RunningStrongroom {
  /** `http://127.0.0.1:<port>`: the `endpoint` of an AWS SDK client, `--endpoint-url` of the AWS CLI. */
  readonly endpoint: string;
  readonly region: string;
  /** The account the credentials are the root of. */
  readonly accountId: string;
  /** `test`/`test`: still SigV4-verified, and authorized as the account's root (docs/development-mode.md). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Stops accepting connections, lets requests in flight finish, and frees the port and the memory. */
  stop(): Promise<void>;
}

/** How often due rotations and deletions run, as `strongroom serve` runs them. */
const BACKGROUND_JOB_INTERVAL_MS = 60_000;
const DEV_SECRET_ACCESS_KEY = 'test';

/**
 * Starts an ephemeral Strongroom in this process: what `strongroom serve --ephemeral` serves (store, root key and
 * audit trail in memory; development mode), for one test file or suite. Everything is gone after `stop()`.
 *
 * @example
 *   import { startStrongroom } from 'strongroom';
 *   import { KMSClient, CreateKeyCommand } from '@aws-sdk/client-kms';
 *
 *   const strongroom = await startStrongroom();
 *   const kms = new KMSClient({ endpoint: strongroom.endpoint, region: strongroom.region, credentials: strongroom.credentials });
 *   const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
 *   await strongroom.stop();
 */
export async function startStrongroom(options: StartStrongroomOptions = {}): Promise<RunningStrongroom> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? DEV_ACCOUNT_ID;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`invalid development account id (12 digits): ${accountId}`);
  const log = options.onLog ? createLogger(options.onLog) : silentLogger;
  const node = await openNode({ ephemeral: true, log, devAccountId: accountId, audit: { defaultRegion: region } });
  const jobs = scheduleBackgroundJobs(() => node.runDueJobs(), BACKGROUND_JOB_INTERVAL_MS, (error) =>
    log.error('background-job-failed', { error: String(error) }),
  );
  const server = createHttpServer(node.app);
  let port: number;
  try {
    port = await listen(server, { host, port: options.port ?? 0 });
  } catch (error) {
    await shutDown(server, jobs, node);
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    region,
    accountId,
    credentials: { accessKeyId: DEV_ACCESS_KEY_ID, secretAccessKey: DEV_SECRET_ACCESS_KEY },
    stop: () => (stopped ??= shutDown(server, jobs, node)),
  };
}

async function shutDown(server: Server, jobs: { stop(): Promise<void> }, node: StrongroomNode): Promise<void> {
  if (server.listening) await closeServer(server);
  await jobs.stop();
  await node.close();
}
