import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { test } from 'node:test';
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { verifyAuditTrail } from '../../src/audit/index.js';
import { auditPublicKey } from '../../src/cli/audit/audit-public-key.js';
import { journalDirectoryOf, listJournalFiles } from '../../src/audit/journal.js';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';
import { administratorCredentials, startServerProcess } from '../support/server-process.js';
import { readTrail } from './trail-reader.js';

test('with two workers each journals its own chain; the stream and the trail hold every answered request once', async () => {
  const server = await startServerProcess(['--workers', '2', '--audit-stream', '-']);
  assert.ok(server.endpoint, server.stderr());
  const layout = dataDirectoryLayout(server.dataDir);
  const kms = new KMSClient({
    endpoint: server.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: administratorCredentials(server.dataDir),
  });
  const answered: string[] = [];
  try {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    // Keep-alive connections are dealt to the workers in turn, so both serve (and record) requests.
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let n = 0; n < 20; n += 1) {
        const response = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('sixteen clients') }));
        answered.push(response.$metadata.requestId!);
      }
    }));
  } finally {
    kms.destroy();
    assert.equal(await server.stop(), 0, server.stderr());
  }
  const streamed = server.stdout().split('\n').filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { requestID: string }).requestID);
  const trail = readTrail(server.dataDir).map((event) => event.requestID);
  assert.deepEqual([...streamed].sort(), [...trail].sort(), 'the stream carries exactly the trail, no line mixed with another');
  for (const requestId of answered) assert.equal(trail.filter((id) => id === requestId).length, 1);
  const report = verifyAuditTrail(layout.auditDatabase, await auditPublicKey(server.dataDir, undefined));
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.ok(report.writers.filter((writer) => writer.records > 0).length >= 2, 'each worker wrote its own chain');
  assert.deepEqual(listJournalFiles(journalDirectoryOf(layout.auditDatabase)), [], 'a clean stop leaves no journal behind');
  await rm(server.dataDir, { recursive: true, force: true });
});
