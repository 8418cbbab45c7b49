import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { test } from 'node:test';
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { administratorCredentials, BUNDLED_CLI as CLI, newDataDir, readyEndpoint } from '../support/server-process.js';

const REQUESTS = 600;
const CLIENTS = 16;
const READER_STALL_MS = 1000;

/**
 * `serve --audit-stream -` into a pipe whose reader falls behind (a log shipper that stalls): every answered
 * request's record must reach it once the reader catches up. The indexing threads used to share the process's
 * stdout, which set the pipe non-blocking, and the stream's writes then failed with EAGAIN and dropped whole
 * batches (about 120 of 1,000 records arrived).
 */
test('the audit stream delivers every record to a pipe whose reader falls behind', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: build first (npm run build)`);
  const dataDir = await newDataDir();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--workers', '2', '--data-dir', dataDir, '--audit-stream', '-'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const output = { text: '' };
  const endpoint = await readyEndpoint(child, () => '', output);
  // The reader stalls for a second while the load runs: the pipe fills up, and the server waits for it (the
  // stream writes everything, or the records' requests wait) rather than dropping lines.
  child.stdout.pause();
  const stall = setTimeout(() => child.stdout.resume(), READER_STALL_MS);
  const kms = new KMSClient({ endpoint, region: 'us-east-1', credentials: administratorCredentials(dataDir), maxAttempts: 1 });
  const answered = new Set<string>();
  try {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    let sent = 0;
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      while (sent < REQUESTS) {
        sent += 1;
        const response = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.alloc(1000, 1) }));
        answered.add(response.$metadata.requestId!);
      }
    }));
  } finally {
    kms.destroy();
    clearTimeout(stall);
    child.stdout.resume();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  const streamed = new Set(output.text.split('\n').filter((line) => line.startsWith('{"eventVersion"'))
    .map((line) => (JSON.parse(line) as { requestID: string }).requestID));
  const missing = [...answered].filter((requestId) => !streamed.has(requestId));
  assert.equal(missing.length, 0, `${missing.length} of ${answered.size} answered requests never reached the stream`);
  await rm(dataDir, { recursive: true, force: true });
});
