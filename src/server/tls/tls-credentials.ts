import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { TlsServerCredentials } from '../../api/http/http-server.js';
import type { TlsConfig } from '../config.js';
import { ensureSelfSignedCertificate, type SelfSignedOptions } from './self-signed-certificate.js';

/** The certificate and key `serve` listens with, checked to belong together. */
export interface LoadedTlsCredentials extends TlsServerCredentials {
  readonly certFile: string;
  /** SHA-256 of the certificate (DER), colon-separated hex, for clients to pin or compare. */
  readonly fingerprint: string;
}

/**
 * Reads (and for `self-signed`, first generates) the TLS certificate and key. Throws a message naming the file
 * and the problem when a file is unreadable, is not PEM, or the key does not match the certificate, so that
 * `serve` refuses to start rather than fail on the first handshake. Messages never quote file contents.
 *
 * @example
 *   const tls = await loadTlsCredentials({ source: 'files', certFile, keyFile }, dataDir);
 *   createHttpServer(app, tls);
 */
export async function loadTlsCredentials(
  config: TlsConfig,
  dataDir: string,
  options: SelfSignedOptions = {},
): Promise<LoadedTlsCredentials> {
  const { certFile, keyFile } = config.source === 'files' ? config : await ensureSelfSignedCertificate(dataDir, options);
  const cert = await readTlsFile(certFile, 'certificate');
  const key = await readTlsFile(keyFile, 'key');
  const certificate = parse(() => new X509Certificate(cert), `the TLS certificate ${certFile} is not a PEM X.509 certificate`);
  const privateKey: KeyObject = parse(
    () => createPrivateKey(key),
    `the TLS key ${keyFile} is not an unencrypted PEM private key`,
  );
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new Error(`the TLS key ${keyFile} does not match the certificate ${certFile}`);
  }
  // What the server itself will do with them: catches what the checks above cannot (e.g. an unusable key type).
  parse(() => createSecureContext({ cert, key }), `OpenSSL cannot serve with ${certFile} and ${keyFile}`);
  return { cert, key, certFile, fingerprint: certificate.fingerprint256 };
}

async function readTlsFile(path: string, what: 'certificate' | 'key'): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new Error(`cannot read the TLS ${what} ${path}: ${code}`);
  }
}

/** Runs a parser, replacing its error (whose text may describe the input) with our message. */
function parse<T>(parser: () => T, message: string): T {
  try {
    return parser();
  } catch {
    throw new Error(message);
  }
}
