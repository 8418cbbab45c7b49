/**
 * The ceiling: a trivial Node HTTP server that parses a JSON body and answers a small JSON document, run with
 * the same number of processes as Strongroom. Prints its URL once listening.
 *
 * With `kms-shaped`, it answers as Strongroom answers an Encrypt of 1 KB instead: the same headers (a fresh request
 * id each time) and a body of the same size (a ciphertext of random bytes, base64, and the key's ARN), computing
 * nothing. Sent the signed Encrypt request, it measures what node:http alone takes for KMS traffic on this machine:
 * the floor under any Strongroom built on node:http (issue 19).
 *
 * Usage: node dist/bench/baseline-server.js <workers> [kms-shaped]
 */
import cluster from 'node:cluster';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const workers = Number(process.argv[2] ?? 2);
const kmsShaped = process.argv[3] === 'kms-shaped';

/** The size of Strongroom's Encrypt blob for 1 KB of plaintext (the answer's body is then 1,701 bytes). */
const CIPHERTEXT_BYTES = 1164;
const CIPHERTEXT = randomBytes(CIPHERTEXT_BYTES).toString('base64');

/** The body Strongroom answers an Encrypt with, in size and shape. */
function encryptAnswer(keyId: unknown): string {
  const arn = `arn:aws:kms:us-east-1:000000000000:key/${typeof keyId === 'string' ? keyId : ''}`;
  return `{"KeyId":${JSON.stringify(arn)},"EncryptionAlgorithm":"SYMMETRIC_DEFAULT","CiphertextBlob":"${CIPHERTEXT}"}`;
}

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
      if (kmsShaped) {
        const body = encryptAnswer(parsed['KeyId']);
        response.writeHead(200, {
          'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(body),
        });
        response.end(body);
        return;
      }
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
