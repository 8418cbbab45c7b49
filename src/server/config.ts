import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOG_FORMATS, type LogFormat } from '../observability/logger.js';
import { parseQuotaSetting, type QuotaSetting } from '../service/quotas/quota-file.js';
import { checkDevAnyCredentials } from './dev-any-credentials.js';
import { ephemeralConfig } from './ephemeral-config.js';
import type { SharedDatabase } from './shared-database.js';
import { readRootOfTrustConfig, ROOT_OF_TRUST_OPTIONS, type RootOfTrustConfig } from './root-of-trust/root-of-trust-config.js';
import { readXksProxyConfig, XKS_PROXY_OPTIONS, type XksProxyConfig } from '../xks/proxy/xks-proxy-config.js';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Not used when `ephemeral`: nothing is read or written there. */
  readonly dataDir: string;
  /**
   * Everything in memory, nothing written: no data directory, one process, development mode (ephemeral-config.ts).
   * For test suites that start a server per file; gives up durability by design.
   */
  readonly ephemeral: boolean;
  readonly dev: boolean;
  /** Development mode only, on a loopback address: any access key id, signature unchecked (docs/development-mode.md). */
  readonly devAnyCredentials?: boolean;
  readonly devAccountId: string;
  /** Worker processes serving requests; 1 serves from the main process itself. */
  readonly workers: number;
  /** The region `strongroom` writes into the credentials file for clients. */
  readonly defaultRegion: string;
  /** The audit trail (on unless `--no-audit`, which exists only to measure its cost). */
  readonly audit: AuditConfig | undefined;
  /** Serve HTTPS with these files or a generated self-signed certificate; undefined serves plain HTTP. */
  readonly tls: TlsConfig | undefined;
  /** AWS's request quotas (`--quotas aws`), with a file's overrides, or none (`off`, the default with `--dev`). */
  readonly quotas: QuotaSetting;
  /** A seed file (`--seed FILE`) applied before the server is ready (docs/seeding.md). */
  readonly seedFile?: string;
  /**
   * A PostgreSQL database shared with other nodes (`--database-url`, with `--root-key-file`), in place of the data
   * directory's SQLite store and audit trail (docs/postgresql.md). The data directory then holds only a generated
   * TLS certificate, when one is asked for.
   */
  readonly database?: SharedDatabase;
  /** What wraps every stored secret: a key file (the default), a passphrase or a PKCS#11 token (docs/roots-of-trust.md). */
  readonly rootOfTrust: RootOfTrustConfig;
  /** `--xks-proxy`: serve the XKS proxy API too, under its URI prefix (docs/xks-proxy.md); undefined when off. */
  readonly xksProxy?: XksProxyConfig;
  /**
   * `--metrics-port`: `/metrics`, `/healthz` and `/readyz` on a listener of their own (same host, plain HTTP) instead
   * of the API port; `0` takes a free port (printed). Undefined: they are on the API port (docs/observability.md).
   */
  readonly metricsPort?: number;
  /** Metrics are recorded and served (off only with `--no-metrics`, which exists to measure their cost). */
  readonly metrics: boolean;
  /** `--log-format json|text` (default json). */
  readonly logFormat: LogFormat;
}

/** Where the TLS certificate comes from. */
export type TlsConfig =
  | { readonly source: 'files'; readonly certFile: string; readonly keyFile: string }
  /** `<data-dir>/tls.crt` and `tls.key`, generated at first use. */
  | { readonly source: 'self-signed' };

export interface AuditConfig {
  /** Remove sealed audit records older than this many days (undefined: keep everything). */
  readonly retentionDays?: number;
  /** Where removed segments are archived first (JSON Lines); undefined with `--audit-archive-dir none`. */
  readonly archiveDir?: string;
  /** Also stream committed records as JSON Lines to this file, or to stdout (`-`). */
  readonly stream?: string;
  /** The size of each audit journal file, preallocated (default 8 MiB). */
  readonly journalFileBytes?: number;
}

export const DEFAULT_PORT = 4599;
export const DEV_ACCOUNT_ID = '000000000000';

/**
 * Reads `serve` flags, falling back to the environment (`STRONGROOM_*`) and then to the defaults.
 * Throws with a usage message on a bad value.
 */
export function readServerConfig(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const { values } = parseArgs({
    args: [...args],
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      ephemeral: { type: 'boolean' },
      dev: { type: 'boolean' },
      'dev-account-id': { type: 'string' },
      'dev-any-credentials': { type: 'boolean' },
      workers: { type: 'string' },
      region: { type: 'string' },
      'no-audit': { type: 'boolean' },
      'audit-retention-days': { type: 'string' },
      'audit-archive-dir': { type: 'string' },
      'audit-stream': { type: 'string' },
      'audit-journal-file-size': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-self-signed': { type: 'boolean' },
      quotas: { type: 'string' },
      seed: { type: 'string' },
      'database-url': { type: 'string' },
      'root-key-file': { type: 'string' },
      'metrics-port': { type: 'string' },
      'no-metrics': { type: 'boolean' },
      'log-format': { type: 'string' },
      ...ROOT_OF_TRUST_OPTIONS,
      ...XKS_PROXY_OPTIONS,
    },
    strict: true,
  });
  const port = Number(values.port ?? env['STRONGROOM_PORT'] ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port ?? env['STRONGROOM_PORT']}`);
  const devAccountId = values['dev-account-id'] ?? env['STRONGROOM_DEV_ACCOUNT_ID'] ?? DEV_ACCOUNT_ID;
  if (!/^\d{12}$/.test(devAccountId)) throw new Error(`invalid development account id (12 digits): ${devAccountId}`);
  const workers = Number(values.workers ?? env['STRONGROOM_WORKERS'] ?? availableParallelism());
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`invalid worker count: ${values.workers}`);
  const dataDir = resolve(values['data-dir'] ?? env['STRONGROOM_DATA_DIR'] ?? 'data');
  const ephemeral = values.ephemeral ?? env['STRONGROOM_EPHEMERAL'] === '1';
  const dev = values.dev ?? env['STRONGROOM_DEV'] === '1';
  const seedFile = values.seed ?? env['STRONGROOM_SEED'];
  const rootOfTrust = readRootOfTrustConfig(values, env);
  if (ephemeral && rootOfTrust.kind !== 'file') throw new Error('--root-of-trust cannot be combined with --ephemeral, whose root key lives in memory');
  const database = sharedDatabase(values, env, ephemeral, rootOfTrust);
  const tls = tlsConfig(values, env);
  const xksProxy = readXksProxyConfig(values, env, tls !== undefined);
  const metricsPort = readMetricsPort(values['metrics-port'] ?? env['STRONGROOM_METRICS_PORT'], port);
  const config: ServerConfig = {
    host: values.host ?? env['STRONGROOM_HOST'] ?? '127.0.0.1',
    port,
    dataDir,
    ephemeral,
    dev,
    devAnyCredentials: values['dev-any-credentials'] ?? env['STRONGROOM_DEV_ANY_CREDENTIALS'] === '1',
    devAccountId,
    workers,
    defaultRegion: values.region ?? env['STRONGROOM_REGION'] ?? 'us-east-1',
    audit: values['no-audit'] ? undefined : auditConfig(values, env, dataDir),
    tls,
    // An ephemeral server is always in development mode (ephemeral-config.ts), so its default is `off` too.
    quotas: parseQuotaSetting(values.quotas ?? env['STRONGROOM_QUOTAS'], dev || ephemeral),
    ...(seedFile !== undefined ? { seedFile: resolve(seedFile) } : {}),
    ...(database !== undefined ? { database } : {}),
    rootOfTrust,
    ...(xksProxy !== undefined ? { xksProxy } : {}),
    ...(metricsPort !== undefined ? { metricsPort } : {}),
    metrics: values['no-metrics'] !== true,
    logFormat: readLogFormat(values['log-format'] ?? env['STRONGROOM_LOG_FORMAT']),
  };
  return checkDevAnyCredentials(ephemeral ? ephemeralConfig(config, values) : config);
}

/**
 * `--database-url` with its root of trust — `--root-key-file` for a key file (the default), or a passphrase or a
 * PKCS#11 token (`--root-of-trust`) — or no database: every node of a shared database needs the same root of trust,
 * and a node must not make one up (`strongroom init` makes it, once).
 */
export function sharedDatabase(
  values: { 'database-url'?: string; 'root-key-file'?: string },
  env: NodeJS.ProcessEnv,
  ephemeral = false,
  rootOfTrust: RootOfTrustConfig = { kind: 'file' },
): SharedDatabase | undefined {
  if (ephemeral) {
    // As for the data directory's variable: a shell exporting it can still start an ephemeral server.
    if (values['database-url'] !== undefined) throw new Error('--database-url cannot be combined with --ephemeral, which keeps everything in memory');
    return undefined;
  }
  const databaseUrl = values['database-url'] ?? env['STRONGROOM_DATABASE_URL'];
  const rootKeyFile = values['root-key-file'] ?? env['STRONGROOM_ROOT_KEY_FILE'];
  if (databaseUrl === undefined || databaseUrl === '') {
    if (values['root-key-file'] !== undefined) throw new Error('--root-key-file goes with --database-url (a data directory keeps its own root.key)');
    return undefined;
  }
  if (rootOfTrust.kind !== 'file') {
    if (values['root-key-file'] !== undefined) throw new Error(`--root-key-file goes with --root-of-trust file, not ${rootOfTrust.kind}`);
    return { databaseUrl, rootOfTrust };
  }
  if (rootKeyFile === undefined || rootKeyFile === '') {
    throw new Error('--database-url needs --root-key-file (STRONGROOM_ROOT_KEY_FILE): the root key every node of the database shares');
  }
  return { databaseUrl, rootOfTrust, rootKeyFile: resolve(rootKeyFile) };
}

function tlsConfig(
  values: { 'tls-cert'?: string; 'tls-key'?: string; 'tls-self-signed'?: boolean },
  env: NodeJS.ProcessEnv,
): TlsConfig | undefined {
  const certFile = values['tls-cert'] ?? env['STRONGROOM_TLS_CERT'];
  const keyFile = values['tls-key'] ?? env['STRONGROOM_TLS_KEY'];
  const selfSigned = values['tls-self-signed'] ?? env['STRONGROOM_TLS_SELF_SIGNED'] === '1';
  if (certFile === undefined && keyFile === undefined) return selfSigned ? { source: 'self-signed' } : undefined;
  if (selfSigned) throw new Error('--tls-self-signed cannot be combined with --tls-cert/--tls-key');
  if (certFile === undefined) throw new Error('--tls-key needs --tls-cert (the certificate for that key)');
  if (keyFile === undefined) throw new Error('--tls-cert needs --tls-key (the private key of that certificate)');
  return { source: 'files', certFile: resolve(certFile), keyFile: resolve(keyFile) };
}

function auditConfig(
  values: { 'audit-retention-days'?: string; 'audit-archive-dir'?: string; 'audit-stream'?: string; 'audit-journal-file-size'?: string },
  env: NodeJS.ProcessEnv,
  dataDir: string,
): AuditConfig {
  const days = values['audit-retention-days'] ?? env['STRONGROOM_AUDIT_RETENTION_DAYS'];
  const retentionDays = days === undefined ? undefined : Number(days);
  if (retentionDays !== undefined && (!Number.isInteger(retentionDays) || retentionDays < 1)) {
    throw new Error(`invalid audit retention (whole days, at least 1): ${days}`);
  }
  const archive = values['audit-archive-dir'] ?? env['STRONGROOM_AUDIT_ARCHIVE_DIR'] ?? join(dataDir, 'audit-archive');
  const stream = values['audit-stream'] ?? env['STRONGROOM_AUDIT_STREAM'];
  const fileSize = values['audit-journal-file-size'] ?? env['STRONGROOM_AUDIT_JOURNAL_FILE_SIZE'];
  const journalFileBytes = fileSize === undefined ? undefined : journalFileSize(fileSize);
  return {
    ...(retentionDays !== undefined ? { retentionDays } : {}),
    ...(archive !== 'none' ? { archiveDir: resolve(archive) } : {}),
    ...(stream !== undefined ? { stream: stream === '-' ? '-' : resolve(stream) } : {}),
    ...(journalFileBytes !== undefined ? { journalFileBytes } : {}),
  };
}

/** `--metrics-port` (`STRONGROOM_METRICS_PORT`): 0–65535, and not the API port (0, a free port, may be both). */
function readMetricsPort(text: string | undefined, apiPort: number): number | undefined {
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port > 65535) throw new Error(`invalid metrics port: ${text}`);
  if (port !== 0 && port === apiPort) throw new Error(`--metrics-port ${port} is the API port: give the metrics a port of their own`);
  return port;
}

/** `--log-format` (`STRONGROOM_LOG_FORMAT`): `json` (the default) or `text`. */
function readLogFormat(text: string | undefined): LogFormat {
  if (text === undefined || text === '') return 'json';
  if (!(LOG_FORMATS as readonly string[]).includes(text)) throw new Error(`invalid log format (json or text): ${text}`);
  return text as LogFormat;
}

/** Smallest journal file: a batch larger than a file still goes in a file of its own (one write, one batch). */
const MIN_JOURNAL_FILE_BYTES = 64 * 1024;

/** `65536`, `64k`, `8m`: bytes, KiB or MiB, at least 64 KiB (a small volume, or a test of file rollover). */
function journalFileSize(text: string): number {
  const match = /^(\d+)([km]?)$/i.exec(text.trim());
  const bytes = match ? Number(match[1]) * ({ '': 1, k: 1024, m: 1024 * 1024 } as const)[match[2]!.toLowerCase() as '' | 'k' | 'm'] : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < MIN_JOURNAL_FILE_BYTES || bytes > 1024 * 1024 * 1024) {
    throw new Error(`invalid audit journal file size (64k to 1024m, e.g. 8m): ${text}`);
  }
  return bytes;
}
