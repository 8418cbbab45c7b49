import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import { createHttpServer } from '../../src/api/http/http-server.js';
import { signRequest } from '../../src/auth/sigv4/index.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { createLogger } from '../../src/observability/logger.js';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';
import { ensureAdministrator } from '../../src/server/first-start.js';
import { openNode, type StrongroomNode } from '../../src/server/node.js';
import { administratorCredentials } from '../support/server-process.js';

export const DEV_ACCOUNT = '000000000000';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface DevServerOptions {
  /** Development mode (default true): `test`/`test` is the root of `000000000000`, and the reset routes exist. */
  readonly dev?: boolean;
  readonly devAnyCredentials?: boolean;
  readonly seedFile?: string;
  /** Another server's data directory: both then share the store, as worker processes do. */
  readonly dataDir?: string;
  readonly now?: () => number;
  /** Record the audit trail (default true; a second node in this process with the same frozen clock cannot). */
  readonly audit?: boolean;
}

/** A node in this process over real HTTP on 127.0.0.1, with its audit trail, and SDK clients for it. */
export interface DevServer {
  readonly endpoint: string;
  readonly dataDir: string;
  readonly node: StrongroomNode;
  readonly administrator: Credentials & { readonly accountId: string };
  readonly logs: string[];
  kms(credentials?: Credentials, region?: string, extra?: { systemClockOffset?: number }): KMSClient;
  sts(credentials?: Credentials): STSClient;
  iam(credentials?: Credentials): IAMClient;
  cloudTrail(credentials?: Credentials): CloudTrailClient;
  /** `POST path` (a reset route), signed with `credentials` for `service` unless `credentials` is undefined. */
  post(path: string, credentials?: Credentials, service?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'strongroom-dev-')));
  const logs: string[] = [];
  const dev = options.dev ?? true;
  const node = await openNode({
    dataDir,
    log: createLogger((line) => logs.push(line)),
    ...(options.audit === false ? {} : { audit: {} }),
    ...(dev ? { devAccountId: DEV_ACCOUNT } : {}),
    ...(options.devAnyCredentials === true ? { devAnyCredentials: true } : {}),
    ...(options.seedFile !== undefined ? { seedFile: options.seedFile } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const admin = await ensureAdministrator(node.store, node.rootKey, {
    credentialsPath: dataDirectoryLayout(dataDir).credentials,
    region: 'us-east-1',
    now: Date.now(),
    print: () => undefined,
  });
  const administrator = { ...administratorCredentials(dataDir), accountId: admin.accountId };
  const server: Server = createHttpServer(node.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const clients: Array<{ destroy(): void }> = [];
  const client = <C extends { destroy(): void }>(made: C): C => {
    clients.push(made);
    return made;
  };
  const clientOptions = (credentials: Credentials, region = 'us-east-1') => ({ endpoint, region, credentials, maxAttempts: 1 });
  return {
    endpoint,
    dataDir,
    node,
    administrator,
    logs,
    kms: (credentials = TEST_CREDENTIALS, region, extra = {}) => client(new KMSClient({ ...clientOptions(credentials, region), ...extra })),
    sts: (credentials = TEST_CREDENTIALS) => client(new STSClient(clientOptions(credentials))),
    iam: (credentials = TEST_CREDENTIALS) => client(new IAMClient(clientOptions(credentials))),
    cloudTrail: (credentials = TEST_CREDENTIALS) => client(new CloudTrailClient(clientOptions(credentials))),
    async post(path, credentials, service = 'strongroom') {
      const body = Buffer.alloc(0);
      const headers: Record<string, string> = { host: new URL(endpoint).host };
      const signed = credentials === undefined ? {} : signRequest({ method: 'POST', path, query: '', headers, body }, {
        accessKeyId: credentials.accessKeyId,
        secret: SecretBytes.adopt(Buffer.from(credentials.secretAccessKey, 'utf8')),
        region: 'us-east-1',
        service,
        now: Date.now(),
      });
      const response = await fetch(`${endpoint}${path}`, { method: 'POST', headers: { ...headers, ...signed } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async stop() {
      for (const made of clients) made.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await node.close();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The name of the error `call` fails with (it must fail). */
export async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error('expected a failure');
}
