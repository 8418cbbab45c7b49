import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ClientCertificateCheck } from '../../api/http/client-certificates.js';
import type { TlsServerCredentials } from '../../api/http/http-server.js';
import type { XksProxyConfig } from './xks-proxy-config.js';

/**
 * The server's TLS credentials with the client certificate check of `--xks-client-ca` (and `--xks-client-subject`),
 * when the proxy is configured with one. The CA file must hold at least one PEM certificate; the server refuses to
 * start otherwise, naming the file (never quoting it).
 *
 * @example
 *   const tls = await withXksClientCheck(await loadTlsCredentials(config.tls, dataDir), config.xksProxy);
 */
export async function withXksClientCheck<Credentials extends TlsServerCredentials>(
  credentials: Credentials,
  proxy: XksProxyConfig | undefined,
): Promise<Credentials> {
  if (proxy?.clientCaFile === undefined) return credentials;
  const clientAuthentication: ClientCertificateCheck = {
    ca: await readClientCa(proxy.clientCaFile),
    ...(proxy.clientSubject !== undefined ? { subject: proxy.clientSubject } : {}),
  };
  return { ...credentials, clientAuthentication };
}

async function readClientCa(path: string): Promise<Buffer> {
  let ca: Buffer;
  try {
    ca = await readFile(path);
  } catch (error) {
    throw new Error(`cannot read the XKS client CA ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    new X509Certificate(ca);
  } catch {
    throw new Error(`the XKS client CA ${path} is not a PEM X.509 certificate`);
  }
  return ca;
}
