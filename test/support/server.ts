import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import { createHttpServer } from '../../src/api/http/http-server.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';
import type { RootOfTrustConfig } from '../../src/server/root-of-trust/root-of-trust-config.js';
import { ensureAdministrator } from '../../src/server/first-start.js';
import { openNode, type NodeOptions, type StrongroomNode } from '../../src/server/node.js';
import { administratorCredentials } from './server-process.js';

export interface TestServer {
  readonly endpoint: string;
  readonly dataDir: string;
  readonly accountId: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly node: StrongroomNode;
  /** Everything the server logged, one JSON object per line. */
  readonly logs: string[];
  /** A KMS client signed with the administrator's credentials (or the given ones). */
  kms(region?: string, credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): KMSClient;
  sts(region?: string): STSClient;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** Development mode: `test`/`test` is the root of this account. */
  readonly devAccountId?: string;
  readonly now?: () => number;
  readonly newKeyId?: () => string;
  readonly dataDir?: string;
  readonly outcomes?: NodeOptions['outcomes'];
  readonly authorizer?: NodeOptions['authorizer'];
  /** Record the audit trail in `<data-dir>/audit.db` (`true`: with default settings). */
  readonly audit?: true | NonNullable<NodeOptions['audit']>;
  readonly wrapStore?: NodeOptions['wrapStore'];
  /** Certificate authorities trusted for XKS proxies (a test proxy's self-signed certificate). */
  readonly xksTrustedCertificates?: string;
  /** Serve the console from this directory instead of dist/console. */
  readonly consoleDirectory?: string;
  /** Where the root of trust is (default: `root.key` in the data directory). */
  readonly rootOfTrust?: RootOfTrustConfig;
}

/**
 * Starts a real Strongroom node in this process, over real HTTP on 127.0.0.1 with a fresh data directory,
 * and returns SDK clients signed with the administrator's real credentials.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'strongroom-test-')));
  const logs: string[] = [];
  const log: Logger = createLogger((line) => logs.push(line));
  const node = await openNode({
    dataDir,
    log,
    ...(options.devAccountId !== undefined ? { devAccountId: options.devAccountId } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.newKeyId ? { newKeyId: options.newKeyId } : {}),
    ...(options.outcomes ? { outcomes: options.outcomes } : {}),
    ...(options.authorizer ? { authorizer: options.authorizer } : {}),
    ...(options.wrapStore ? { wrapStore: options.wrapStore } : {}),
    ...(options.xksTrustedCertificates !== undefined ? { xksTrustedCertificates: options.xksTrustedCertificates } : {}),
    ...(options.consoleDirectory !== undefined ? { consoleDirectory: options.consoleDirectory } : {}),
    ...(options.audit ? { audit: options.audit === true ? {} : options.audit } : {}),
    ...(options.rootOfTrust ? { rootOfTrust: options.rootOfTrust } : {}),
  });

  const admin = await ensureAdministrator(node.store, node.rootKey, {
    credentialsPath: dataDirectoryLayout(dataDir).credentials,
    region: 'us-east-1',
    now: Date.now(),
    print: () => undefined,
  });
  // The administrator's credentials, as the first start wrote them (also when reopening a data directory).
  const credentials = administratorCredentials(dataDir);
  const server: Server = createHttpServer(node.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: Array<{ destroy(): void }> = [];
  return {
    endpoint,
    dataDir,
    accountId: admin.accountId,
    credentials,
    node,
    logs,
    kms(region = 'us-east-1', creds = credentials) {
      const client = new KMSClient({ endpoint, region, credentials: creds, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    sts(region = 'us-east-1') {
      const client = new STSClient({ endpoint, region, credentials, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await node.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
