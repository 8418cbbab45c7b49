import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { TLSSocket } from 'node:tls';
import { RequestEntityTooLargeException } from '../../errors.js';
import type { App } from '../app.js';
import { createClientCheckingServer, type ClientCertificateCheck } from './client-certificates.js';
import { jsonErrorResponse } from './json-wire.js';
import type { TlsFacts, WireRequest, WireResponse } from './wire-request.js';

/** Larger than any valid KMS request (a 32 KB policy, a 6 KB ciphertext, base64 and JSON overhead). */
export const MAX_BODY_BYTES = 256 * 1024;

/** A PEM certificate (chain) and its private key, for serving HTTPS. */
export interface TlsServerCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Ask clients for a certificate and check it (mutual TLS for the XKS proxy API, client-certificates.ts). */
  readonly clientAuthentication?: ClientCertificateCheck;
}

/**
 * Serves the app over node:http, or over node:https (TLS 1.2 at least) when given credentials. Keep-alive
 * connections are kept long enough for SDK connection reuse.
 *
 * Requests are handled in batches: those whose bodies completed in one event-loop turn are started together
 * in that turn's check phase (a request waits microseconds at most). Started together, their pipelines advance
 * stage by stage side by side, each stage's code and data still hot in the CPU caches; started one by one as
 * they arrive, each request runs the whole pipeline cold, between the kernel's network code and node's HTTP
 * parser. On the project machine that difference is 3× in CPU per request (see docs/adr/0008-request-batching.md).
 *
 * @example
 *   const server = createHttpServer(node.app, { cert: readFileSync('tls.crt'), key: readFileSync('tls.key') });
 */
export function createHttpServer(app: App, tls?: TlsServerCredentials): Server {
  let arrived: Arrival[] = [];
  const handleArrived = () => {
    const batch = arrived;
    arrived = [];
    for (const { request, outgoing } of batch) {
      app.handle(request).then(
        (response) => send(outgoing, response, false),
        () => outgoing.destroy(), // App.handle does not reject; this is a last resort.
      );
    }
  };
  let verifiedClient: (socket: TLSSocket) => boolean = () => false;
  const handler: RequestListener = (incoming, outgoing) => {
    readBody(incoming, (body) => {
      // A connection closed meanwhile (a refused client certificate) gets no answer, and its request is not run.
      if (incoming.socket.destroyed) return;
      if (!body) {
        send(outgoing, jsonErrorResponse('', new RequestEntityTooLargeException('Request body is too large.')), true);
        return;
      }
      if (arrived.push({ request: toWireRequest(incoming, body, verifiedClient), outgoing }) === 1) setImmediate(handleArrived);
    });
  };
  let server: Server;
  if (tls?.clientAuthentication !== undefined) {
    const checking = createClientCheckingServer(tls, tls.clientAuthentication, handler);
    server = checking.server;
    verifiedClient = checking.verified;
  } else {
    server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, handler) : createServer(handler);
  }
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

/** A request whose body is complete, waiting for its turn's batch. */
interface Arrival {
  readonly request: WireRequest;
  readonly outgoing: ServerResponse;
}

/** Collects the body; calls back with undefined (and stops reading) when it exceeds the limit. */
function readBody(incoming: IncomingMessage, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  incoming.on('data', (chunk: Buffer) => {
    if (finished) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      finished = true;
      done(undefined);
      return;
    }
    chunks.push(chunk);
  });
  incoming.on('end', () => {
    if (finished) return;
    finished = true;
    done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  });
  incoming.on('error', () => {
    finished = true;
  });
}

function toWireRequest(incoming: IncomingMessage, body: Buffer, verifiedClient: (socket: TLSSocket) => boolean): WireRequest {
  const url = incoming.url ?? '/';
  const queryStart = url.indexOf('?');
  return {
    method: incoming.method ?? 'GET',
    path: queryStart === -1 ? url : url.slice(0, queryStart),
    query: queryStart === -1 ? '' : url.slice(queryStart + 1),
    // Repeated headers stay separate values: SigV4 joins them with ',' (node's `headers` would use ', ').
    headers: incoming.headersDistinct,
    body,
    sourceIp: normalizeIp(incoming.socket.remoteAddress ?? ''),
    ...tlsFactsOf(incoming, verifiedClient),
  };
}

function tlsFactsOf(incoming: IncomingMessage, verifiedClient: (socket: TLSSocket) => boolean): { tls?: TlsFacts } {
  const socket = incoming.socket;
  if (!(socket instanceof TLSSocket)) return {};
  return {
    tls: {
      version: socket.getProtocol() ?? 'unknown',
      cipherSuite: socket.getCipher().standardName,
      host: incoming.headers.host ?? '',
      ...(verifiedClient(socket) ? { clientCertificateVerified: true as const } : {}),
    },
  };
}

function normalizeIp(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function send(outgoing: ServerResponse, response: WireResponse, close: boolean): void {
  const headers: Record<string, string | number> = {
    ...response.headers,
    'content-length': Buffer.byteLength(response.body),
  };
  if (close) headers['connection'] = 'close';
  outgoing.writeHead(response.status, headers);
  outgoing.end(response.body);
}
