import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { administratorCredentials, BUNDLED_CLI as CLI, startServerProcess } from '../support/server-process.js';
import { readTrail } from './trail-reader.js';

/**
 * The load under which records of answered requests were lost (issue #20), made heavy on journal rollover: two
 * workers with 64 KiB journal files (a new file every ~40 records), 4 KB encryption contexts, and the journals
 * imported meanwhile from every side — each worker's indexing thread (LookupEvents makes it index under load)
 * and another process (`strongroom audit verify`) — so that imports keep meeting writers that move to their
 * next file. Bounded by a request count and a time limit, whichever comes first.
 */
const CLIENTS = 32;
const REQUESTS = 6000;
const TIME_LIMIT_MS = 20_000;
const CONTEXT = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`context-key-${i}`, `value-${i}-`.padEnd(90, 'x')]));

test('under rollover-heavy load with concurrent imports, every answered request has its record and the chains verify', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: build first (npm run build)`);
  const server = await startServerProcess(['--workers', '2', '--audit-journal-file-size', '64k'], undefined, { bundled: true });
  assert.ok(server.endpoint, server.stderr());
  const credentials = administratorCredentials(server.dataDir);
  const kms = new KMSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const cloudTrail = new CloudTrailClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const answered: string[] = [];
  const deadline = Date.now() + TIME_LIMIT_MS;
  const more = () => answered.length < REQUESTS && Date.now() < deadline;
  try {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const encrypting = async (): Promise<void> => {
      while (more()) {
        const response = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('rollover'), EncryptionContext: CONTEXT }));
        answered.push(response.$metadata.requestId!);
      }
    };
    const lookingUp = async (): Promise<void> => {
      while (more()) await cloudTrail.send(new LookupEventsCommand({ MaxResults: 1 }));
    };
    const importingElsewhere = async (): Promise<void> => {
      while (more()) await runCli(['audit', 'verify', '--data-dir', server.dataDir]);
    };
    await Promise.all([...Array.from({ length: CLIENTS }, encrypting), lookingUp(), importingElsewhere()]);
  } finally {
    kms.destroy();
    cloudTrail.destroy();
    assert.equal(await server.stop(), 0, server.stderr());
  }

  const recorded = new Set(readTrail(server.dataDir).map((event) => event.requestID));
  const missing = answered.filter((requestId) => !recorded.has(requestId));
  assert.deepEqual(missing.length, 0, `${missing.length} of ${answered.length} answered requests have no record`);
  const verify = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--data-dir', server.dataDir], { encoding: 'utf8' });
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  await rm(server.dataDir, { recursive: true, force: true });
});

/** Runs the bundled CLI without blocking the event loop (the load goes on meanwhile). */
function runCli(args: readonly string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}
