import { createServer as createHttpsServer, type Server } from 'node:https';
import type { RequestListener } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * Client certificates a listener accepts (`--xks-client-ca`, `--xks-client-subject`; docs/xks-proxy.md#mutual-tls):
 * chained to `ca` and, when `subject` is given, with that subject common name.
 */
export interface ClientCertificateCheck {
  readonly ca: Buffer;
  readonly subject?: string;
}

/** An HTTPS listener that asks for client certificates, and which of its connections presented an accepted one. */
export interface ClientCheckingServer {
  readonly server: Server;
  /** True only for a connection whose certificate passed the check (its handshake is complete). */
  verified(socket: TLSSocket): boolean;
}

/**
 * An HTTPS listener (TLS 1.2 at least) that asks every client for a certificate. The handshake also accepts a client
 * that presents none, since the listener serves the KMS API too; a connection presenting one that does not pass the
 * check is destroyed as soon as its handshake completes. A request that arrived in the same flight as the handshake
 * may still be parsed from such a connection: the caller must drop requests of destroyed sockets (http-server.ts
 * does), and only `verified` connections count as authenticated by certificate. Which requests need one is the API's
 * to say (`TlsFacts.clientCertificateVerified`).
 *
 * @example
 *   const { server, verified } = createClientCheckingServer({ cert, key }, { ca, subject: 'cks.kms.eu-west-1.amazonaws.com' }, handler);
 */
export function createClientCheckingServer(
  credentials: { readonly cert: Buffer; readonly key: Buffer },
  check: ClientCertificateCheck,
  handler: RequestListener,
): ClientCheckingServer {
  const accepted = new WeakSet<TLSSocket>();
  const server = createHttpsServer(
    { cert: credentials.cert, key: credentials.key, minVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: false, ca: check.ca },
    handler,
  );
  server.on('secureConnection', (socket: TLSSocket) => {
    if (!presentsCertificate(socket)) return;
    if (passes(socket, check)) accepted.add(socket);
    else socket.destroy();
  });
  return { server, verified: (socket) => accepted.has(socket) };
}

function presentsCertificate(socket: TLSSocket): boolean {
  return Object.keys(socket.getPeerCertificate()).length > 0;
}

/** Chained to the CA (OpenSSL's verification, `authorized`) and, if asked, with the subject common name. */
function passes(socket: TLSSocket, check: ClientCertificateCheck): boolean {
  if (!socket.authorized) return false;
  if (check.subject === undefined) return true;
  const commonName: unknown = socket.getPeerCertificate().subject?.CN;
  return (Array.isArray(commonName) ? commonName : [commonName]).includes(check.subject);
}
