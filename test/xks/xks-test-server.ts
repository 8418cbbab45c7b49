import { NodeSha256 } from '../support/node-sha256.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ClientCertificateCheck } from '../../src/api/http/client-certificates.js';
import { createHttpServer } from '../../src/api/http/http-server.js';
import { PolicyCache } from '../../src/auth/policy/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';
import { ensureAdministrator } from '../../src/server/first-start.js';
import { openNode, type StrongroomNode } from '../../src/server/node.js';
import { loadTlsCredentials } from '../../src/server/tls/tls-credentials.js';
import type { IamContext } from '../../src/service/identities/iam-context.js';
import { applySeed } from '../../src/service/seeding/apply-seed.js';
import { parseSeedText } from '../../src/service/seeding/parse-seed-file.js';
import { issueXksCredential } from '../../src/xks/proxy/xks-credentials.js';

/*
 * A real Strongroom node serving the XKS proxy API over real HTTP(S) on 127.0.0.1, and a client that signs its calls
 * with the AWS SDK's own SigV4 signer (@smithy/signature-v4), service `kms-xks-proxy`, as AWS KMS signs them.
 */

export interface XksCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface XksAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body as JSON (undefined when it is not). */
  readonly json: Record<string, unknown> | undefined;
}

export interface CallOptions {
  readonly method?: string;
  readonly credentials?: XksCredentials;
  readonly region?: string;
  readonly service?: string;
  /** Sign at this time (default: now). */
  readonly signingDate?: Date;
  /** Sent unsigned. */
  readonly unsigned?: boolean;
  /** Changes the request after it was signed. */
  readonly tamper?: (signed: { headers: Record<string, string>; body: Buffer }) => void;
  /** TLS client certificate and key (PEM). */
  readonly clientCertificate?: { readonly cert: Buffer | string; readonly key: Buffer | string };
}

export interface XksTestServer {
  readonly endpoint: string;
  readonly node: StrongroomNode;
  readonly accountId: string;
  readonly userArn: string;
  readonly credentials: XksCredentials;
  readonly logs: string[];
  /** The server's certificate, to trust (with `tls`). */
  readonly serverCertificate?: Buffer;
  /** A signed call to `path` with `body` (an object is sent as JSON). */
  call(path: string, body: unknown, options?: CallOptions): Promise<XksAnswer>;
  stop(): Promise<void>;
}

export interface XksTestServerOptions {
  readonly uriPrefix?: string;
  readonly tls?: boolean;
  readonly clientAuthentication?: ClientCertificateCheck;
  /** The seed file (JSON) to apply once the credential's user exists: keys with known material and policies. */
  readonly seed?: (context: { accountId: string; userArn: string }) => unknown;
}

/** Starts the node and its listener, creates an XKS credential (and its user), applies the seed. */
export async function startXksServer(options: XksTestServerOptions = {}): Promise<XksTestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-xks-'));
  const logs: string[] = [];
  const node = await openNode({
    dataDir,
    log: createLogger((line) => logs.push(line)),
    audit: {},
    xksProxy: {
      uriPrefix: options.uriPrefix ?? '/xks',
      ...(options.clientAuthentication !== undefined ? { requireClientCertificate: true } : {}),
    },
  });
  const admin = await ensureAdministrator(node.store, node.rootKey, {
    credentialsPath: dataDirectoryLayout(dataDir).credentials,
    region: 'us-east-1',
    now: Date.now(),
    print: () => undefined,
  });
  const iam: IamContext = { identities: node.store.identities, rootKey: node.rootKey, now: Date.now, policies: new PolicyCache(10) };
  const issued = await issueXksCredential(iam, node.store.xksCredentials, { accountId: admin.accountId, userName: 'xks-proxy' });
  const credentials = { accessKeyId: issued.credential.accessKeyId, secretAccessKey: issued.secret.expose().toString('utf8') };
  issued.secret.wipe();
  if (options.seed) {
    const seed = parseSeedText(JSON.stringify(options.seed({ accountId: admin.accountId, userArn: issued.user.arn })), 'xks-test-seed.json', 'json');
    try {
      await applySeed(node.deps, seed);
    } finally {
      seed.wipe();
    }
  }
  const loaded = options.tls ? await loadTlsCredentials({ source: 'self-signed' }, dataDir) : undefined;
  const tls = loaded && {
    ...loaded,
    ...(options.clientAuthentication !== undefined ? { clientAuthentication: options.clientAuthentication } : {}),
  };
  const server: Server = createHttpServer(node.app, tls);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const endpoint = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    endpoint,
    node,
    accountId: admin.accountId,
    userArn: issued.user.arn,
    credentials,
    logs,
    ...(loaded ? { serverCertificate: loaded.cert } : {}),
    call: (path, body, callOptions = {}) => sendXksCall({ endpoint, path, body, credentials, serverCertificate: loaded?.cert, ...callOptions }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await node.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

interface SendOptions extends CallOptions {
  readonly endpoint: string;
  readonly path: string;
  readonly body: unknown;
  readonly credentials: XksCredentials;
  readonly serverCertificate: Buffer | undefined;
}

/** Signs (smithy, service kms-xks-proxy) and sends one request; resolves with the answer as received. */
export async function sendXksCall(options: SendOptions): Promise<XksAnswer> {
  const url = new URL(options.endpoint);
  const body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
  const unsignedHeaders: Record<string, string> = { host: url.host, 'content-type': 'application/json' };
  const credentials = options.credentials;
  const signed = options.unsigned
    ? { headers: unsignedHeaders }
    : ((await new SignatureV4({
        service: options.service ?? 'kms-xks-proxy',
        region: options.region ?? 'eu-west-1',
        credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
        sha256: NodeSha256,
      }).sign(
        { method: options.method ?? 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: options.path, headers: unsignedHeaders, body },
        options.signingDate ? { signingDate: options.signingDate } : {},
      )) as { headers: Record<string, string> });
  const outgoing = { headers: { ...signed.headers }, body };
  options.tamper?.(outgoing);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<XksAnswer>((resolve, reject) => {
    const request = send(
      {
        method: options.method ?? 'POST',
        host: url.hostname,
        port: url.port,
        path: options.path,
        headers: { ...outgoing.headers, 'content-length': String(outgoing.body.length) },
        agent: false,
        ...(url.protocol === 'https:'
          ? {
              ca: options.serverCertificate,
              ...(options.clientCertificate ? { cert: options.clientCertificate.cert, key: options.clientCertificate.key } : {}),
            }
          : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      },
    );
    request.on('error', reject);
    request.end(outgoing.body);
  });
}
