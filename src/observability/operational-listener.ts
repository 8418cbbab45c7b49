import { createServer, type Server } from 'node:http';
import { answerOperationalRequest, isOperationalRequest, type OperationalEndpoints } from '../api/health-endpoints.js';
import type { WireRequest } from '../api/http/wire-request.js';

/**
 * The listener of `--metrics-port`: plain HTTP on the API's host, answering `GET /metrics`, `/healthz` and `/readyz`
 * (health-endpoints.ts) and 404 to anything else. Requests have no body worth reading and nothing here is
 * authenticated or audited, as on the API port; the API port then answers those three paths as unknown routes.
 * Monitoring reaches it without reaching the API: a firewall or a Kubernetes network policy can tell them apart.
 *
 * @example
 *   const server = createOperationalServer({ readiness: node.readiness, metrics: scrape });
 *   const port = await listen(server, { host: config.host, port: config.metricsPort });
 */
export function createOperationalServer(endpoints: OperationalEndpoints): Server {
  const server = createServer((incoming, outgoing) => {
    // Whatever a request sends is drained and dropped: only its method and path matter.
    incoming.resume();
    const url = incoming.url ?? '/';
    const queryStart = url.indexOf('?');
    const request: WireRequest = {
      method: incoming.method ?? 'GET',
      path: queryStart === -1 ? url : url.slice(0, queryStart),
      query: queryStart === -1 ? '' : url.slice(queryStart + 1),
      headers: {},
      body: Buffer.alloc(0),
      sourceIp: incoming.socket.remoteAddress ?? '',
    };
    if (!isOperationalRequest(request, endpoints)) {
      outgoing.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: /metrics, /healthz and /readyz are served here\n');
      return;
    }
    answerOperationalRequest(request, endpoints).then(
      (response) => outgoing.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) }).end(response.body),
      () => outgoing.destroy(), // the answer functions do not reject; this is a last resort
    );
  });
  // Scrapes and probes come every few seconds: idle connections need not be kept for long.
  server.keepAliveTimeout = 10_000;
  return server;
}
