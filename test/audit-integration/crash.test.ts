import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { administratorCredentials, BUNDLED_CLI as CLI, readyEndpoint } from '../support/server-process.js';
import { readTrail } from './trail-reader.js';

const CLIENTS = 16;
const SUCCESSES_BEFORE_CRASH = 400;

/** Starts the built server in its own process group (so SIGKILL reaches the primary and every worker). */
async function startServer(dataDir: string) {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--workers', '2'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const endpoint = await readyEndpoint(child);
  child.stderr.resume();
  return { child, endpoint, killGroup: () => process.kill(-child.pid!, 'SIGKILL') };
}

describe('a crash under load loses no answered request', () => {
  test('after SIGKILL, every request a client saw succeed has its record, and the chains verify', async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: build first (npm run build)`);
    const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-audit-crash-'));
    const server = await startServer(dataDir);
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    const credentials = administratorCredentials(dataDir);
    const kms = new KMSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const succeeded: string[] = [];
    let crashed = false;
    try {
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const client = async (): Promise<void> => {
        while (!crashed) {
          try {
            const response = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('crash test') }));
            if (response.$metadata.requestId) succeeded.push(response.$metadata.requestId);
            if (succeeded.length >= SUCCESSES_BEFORE_CRASH && !crashed) {
              crashed = true;
              server.killGroup();
            }
          } catch {
            // Requests in flight when the server died fail; only the answered ones count.
          }
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, client));
      await exited;
    } finally {
      kms.destroy();
      if (!crashed) server.killGroup();
    }
    assert.ok(succeeded.length >= SUCCESSES_BEFORE_CRASH);

    const recorded = new Set(readTrail(dataDir).map((event) => event.requestID));
    const missing = succeeded.filter((requestId) => !recorded.has(requestId));
    assert.deepEqual(missing, [], 'every answered request was on disk before its answer');

    const verify = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--data-dir', dataDir], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /audit trail verified/);
    await rm(dataDir, { recursive: true, force: true });
  });
});
