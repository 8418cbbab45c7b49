/**
 * The ceiling: a trivial Node HTTP server that parses a JSON body and answers a small JSON document, run with
 * the same number of processes as Strongroom. Prints its URL once listening.
 * Usage: node dist/bench/baseline-server.js <workers>
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';

const workers = Number(process.argv[2] ?? 2);

if (cluster.isPrimary) {
  cluster.schedulingPolicy = cluster.SCHED_RR; // as Strongroom's serve does
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (port: number) => {
      if (++listening === workers) process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
    });
  }
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      const body = JSON.stringify({ KeyId: parsed['KeyId'] ?? null, ok: true });
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env['BASELINE_PORT'] ?? 0), '127.0.0.1', () => {
    const address = server.address();
    process.send?.(typeof address === 'object' && address ? address.port : 0);
  });
}
