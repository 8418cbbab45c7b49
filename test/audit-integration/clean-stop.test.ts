import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { administratorCredentials, BUNDLED_CLI as CLI, readyEndpoint } from '../support/server-process.js';

type ServerChild = ChildProcessByStdio<null, Readable, Readable>;

/**
 * The built server in its own process group, as a terminal or a container runtime runs it: a signal to the
 * group reaches the primary and every worker directly.
 */
async function startServer(dataDir: string, workers: number) {
  const child: ServerChild = spawn(
    process.execPath,
    [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--workers', String(workers)],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  const stderrChanged = new EventTarget();
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    stderrChanged.dispatchEvent(new Event('data'));
  });
  const endpoint = await readyEndpoint(child, () => stderr);
  child.stdout.resume();
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    endpoint,
    exited,
    stderr: () => stderr,
    signalGroup: (signal: NodeJS.Signals) => process.kill(-child.pid!, signal),
    /** Resolves once `count` processes have logged that they began to stop. */
    async stopping(count: number): Promise<void> {
      const began = () => stderr.split('\n').filter((line) => line.includes('"event":"server-stopping"')).length;
      while (began() < count && child.exitCode === null && child.signalCode === null) {
        await Promise.race([once(stderrChanged, 'data'), exited]);
      }
    },
  };
}

/**
 * A request whose body is still coming: the connection is busy, not idle, so the stop must wait for it
 * (within its grace period) and is in progress while the request is held. It asks `Expect: 100-continue` and
 * is held only once the server's interim `100 Continue` arrived: a worker then has the request (with workers,
 * the primary hands connections over asynchronously, and a connection still in the hand-over when the stop
 * begins is one no worker ever had).
 */
async function holdRequest(endpoint: string): Promise<{ finish(): Promise<string> }> {
  const { hostname, port } = new URL(endpoint);
  const socket: Socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let response = '';
  socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  const until = async (done: () => boolean) => {
    while (!done() && !socket.destroyed && !socket.readableEnded) {
      await Promise.race([once(socket, 'data'), once(socket, 'close'), once(socket, 'end')]).catch(() => undefined);
    }
  };
  socket.write(
    `POST / HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/x-amz-json-1.1\r\n` +
      'X-Amz-Target: TrentService.ListKeys\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n',
  );
  await until(() => response.includes('\r\n\r\n'));
  assert.match(response, /^HTTP\/1\.1 100 /, 'the server took the request');
  response = '';
  return {
    /** Sends the body; resolves with the response's status line ('' when the connection broke). */
    async finish() {
      socket.write('{}');
      await until(() => response.includes('\r\n'));
      socket.destroy();
      return response.split('\r\n')[0] ?? '';
    },
  };
}

function verifyTrail(dataDir: string): { status: number | null; output: string } {
  const verify = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--data-dir', dataDir], { encoding: 'utf8' });
  return { status: verify.status, output: verify.stdout + verify.stderr };
}

async function stopCleanlyUnderRepeatedSignals(workers: number, signal: NodeJS.Signals): Promise<void> {
  assert.ok(existsSync(CLI), `${CLI} is missing: build first (npm run build)`);
  const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-clean-stop-'));
  const server = await startServer(dataDir, workers);
  let signalled = false;
  try {
    const kms = new KMSClient({
      endpoint: server.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: administratorCredentials(dataDir),
    });
    try {
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      // Several connections at once, dealt to the workers in turn, so that every worker records requests.
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let n = 0; n < 5; n += 1) await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('clean stop') }));
      }));
    } finally {
      kms.destroy();
    }
    const held = await holdRequest(server.endpoint);

    signalled = true;
    server.signalGroup(signal);
    // Every process began its stop; one waits for the held request. Another signal now (a second Ctrl-C, a
    // supervisor that repeats itself) must not kill a stop in progress.
    await server.stopping(workers === 1 ? 1 : workers + 1);
    server.signalGroup(signal);
    const statusLine = await held.finish();
    const [code, exitSignal] = await server.exited;

    const verify = verifyTrail(dataDir);
    assert.doesNotMatch(verify.output, /unsealed-tail/, `a clean stop seals every writer's chain\n${server.stderr()}`);
    assert.equal(verify.status, 0, verify.output);
    const writers = [...verify.output.matchAll(/^writer \S+: (\d+) records, sealed through (\d+)$/gm)];
    assert.ok(writers.length >= workers, verify.output);
    for (const [, records, sealedThrough] of writers) assert.equal(sealedThrough, records, verify.output);
    assert.deepEqual({ code, exitSignal }, { code: 0, exitSignal: null }, server.stderr());
    assert.doesNotMatch(server.stderr(), /exited with .* starting another/, 'no worker died during the stop');
    assert.match(statusLine, /^HTTP\/1\.1 \d{3} /, 'the request in flight when the stop began is answered');
  } finally {
    if (!signalled) server.signalGroup('SIGKILL');
  }
  await rm(dataDir, { recursive: true, force: true });
}

describe('a clean stop seals every writer\'s chain, however often the stop signal comes', () => {
  test('SIGTERM to the process group, twice, with one process', () => stopCleanlyUnderRepeatedSignals(1, 'SIGTERM'));
  test('SIGTERM to the process group, twice, with two workers', () => stopCleanlyUnderRepeatedSignals(2, 'SIGTERM'));
  test('SIGINT (Ctrl-C) to the process group, twice, with one process', () => stopCleanlyUnderRepeatedSignals(1, 'SIGINT'));
  test('SIGINT (Ctrl-C) to the process group, twice, with two workers', () => stopCleanlyUnderRepeatedSignals(2, 'SIGINT'));
});
