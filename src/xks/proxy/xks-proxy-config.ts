import { resolve } from 'node:path';
import { XKS_API_PATH } from '../xks-wire.js';

/**
 * `serve --xks-proxy` (ADR 0023, Decision 1): the XKS proxy API on the server's own listener, under
 * `{uriPrefix}/kms/xks/v1`, with mutual TLS as an option.
 */
export interface XksProxyConfig {
  /** `''` (no prefix) or `/segment[/segment...]`, without a trailing slash. */
  readonly uriPrefix: string;
  /** `--xks-client-ca FILE`: XKS calls need a client certificate chained to this CA (PEM). */
  readonly clientCaFile?: string;
  /** `--xks-client-subject NAME`: and with this subject common name, e.g. `cks.kms.eu-west-1.amazonaws.com`. */
  readonly clientSubject?: string;
}

export const DEFAULT_XKS_URI_PREFIX = '/xks';

/** The `parseArgs` options of the proxy's `serve` flags. */
export const XKS_PROXY_OPTIONS = {
  'xks-proxy': { type: 'boolean' },
  'xks-uri-prefix': { type: 'string' },
  'xks-client-ca': { type: 'string' },
  'xks-client-subject': { type: 'string' },
} as const;

export interface XksProxyFlags {
  readonly 'xks-proxy'?: boolean;
  readonly 'xks-uri-prefix'?: string;
  readonly 'xks-client-ca'?: string;
  readonly 'xks-client-subject'?: string;
}

/** The specification's limit on `XksProxyUriPath`, and the characters it may hold. */
const MAX_URI_PATH_LENGTH = 128;
const URI_PREFIX = /^(?:\/[A-Za-z0-9_-]+)+$/;

/**
 * The proxy's configuration from the flags, else the environment (`STRONGROOM_XKS_PROXY=1`,
 * `STRONGROOM_XKS_URI_PREFIX`, `STRONGROOM_XKS_CLIENT_CA`, `STRONGROOM_XKS_CLIENT_SUBJECT`); undefined when the
 * proxy is off. Throws a usage message for a flag that goes with nothing or a prefix AWS KMS could not be given.
 *
 * @example
 *   readXksProxyConfig({ 'xks-proxy': true, 'xks-uri-prefix': '/tenant-a' }, {}, true); // { uriPrefix: '/tenant-a' }
 */
export function readXksProxyConfig(flags: XksProxyFlags, env: NodeJS.ProcessEnv, servesTls: boolean): XksProxyConfig | undefined {
  const on = flags['xks-proxy'] ?? env['STRONGROOM_XKS_PROXY'] === '1';
  const prefix = flags['xks-uri-prefix'] ?? env['STRONGROOM_XKS_URI_PREFIX'];
  const clientCa = flags['xks-client-ca'] ?? env['STRONGROOM_XKS_CLIENT_CA'];
  const clientSubject = flags['xks-client-subject'] ?? env['STRONGROOM_XKS_CLIENT_SUBJECT'];
  if (!on) {
    const stray = (['xks-uri-prefix', 'xks-client-ca', 'xks-client-subject'] as const).find((flag) => flags[flag] !== undefined);
    if (stray !== undefined) throw new Error(`--${stray} goes with --xks-proxy`);
    return undefined;
  }
  if (clientSubject !== undefined && clientCa === undefined) throw new Error('--xks-client-subject goes with --xks-client-ca');
  if (clientCa !== undefined && !servesTls) {
    throw new Error('--xks-client-ca needs HTTPS (--tls-cert and --tls-key, or --tls-self-signed): client certificates are a TLS matter');
  }
  return {
    uriPrefix: normalizedUriPrefix(prefix ?? DEFAULT_XKS_URI_PREFIX),
    ...(clientCa !== undefined ? { clientCaFile: resolve(clientCa) } : {}),
    ...(clientSubject !== undefined ? { clientSubject } : {}),
  };
}

/** `''` or `/a/b` from what an operator types (`/`, `a/b/`, `/a/b`); refuses what `XksProxyUriPath` cannot hold. */
export function normalizedUriPrefix(text: string): string {
  const trimmed = text.replace(/\/+$/, '');
  if (trimmed === '') return '';
  const prefix = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  if (!URI_PREFIX.test(prefix) || prefix.length + XKS_API_PATH.length > MAX_URI_PATH_LENGTH) {
    throw new Error(
      `invalid --xks-uri-prefix '${text}': slash-separated segments of a-z, A-Z, 0-9, '-' and '_', at most ` +
        `${MAX_URI_PATH_LENGTH - XKS_API_PATH.length} characters (AWS KMS's XksProxyUriPath is the prefix and ${XKS_API_PATH})`,
    );
  }
  return prefix;
}
