import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CreateKeyCommand, DecryptCommand, EnableKeyRotationCommand, EncryptCommand, GenerateDataKeyCommand,
  GenerateRandomCommand, ListKeysCommand, ReEncryptCommand, ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { verifyAuditTrail } from '../../src/audit/index.js';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';
import { startTestServer } from '../support/server.js';
import { failingOnce } from '../support/faulty-journal.js';
import { readTrail, settle } from './trail-reader.js';

const SENTINEL = 'SENTINEL-PLAINTEXT-c0ffee-91d2';
const forms = (bytes: Buffer): string[] => [bytes.toString('base64'), bytes.toString('hex'), bytes.toString('latin1')];

/** Everything the trail left on disk: the database, its WAL, and the JSON Lines stream. */
function trailBytes(dataDir: string, streamPath: string): string {
  const database = dataDirectoryLayout(dataDir).auditDatabase;
  return [database, `${database}-wal`, streamPath]
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'))
    .join('\n');
}

describe('the audit trail keeps no secret and never lets an unrecorded request succeed', () => {
  test('a sentinel plaintext, and every data key, ciphertext and random byte string, appear nowhere in the trail', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-audit-sentinel-'));
    const streamPath = join(dataDir, 'audit-stream.jsonl');
    const server = await startTestServer({ dataDir, audit: { stream: streamPath } });
    const secrets: Buffer[] = [Buffer.from(SENTINEL)];
    try {
      const kms = server.kms();
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const otherKeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(SENTINEL) }));
      secrets.push(Buffer.from(encrypted.CiphertextBlob!));
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
      assert.equal(Buffer.from(decrypted.Plaintext!).toString(), SENTINEL);
      const reEncrypted = await kms.send(new ReEncryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, DestinationKeyId: otherKeyId }));
      secrets.push(Buffer.from(reEncrypted.CiphertextBlob!));
      const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
      secrets.push(Buffer.from(dataKey.Plaintext!), Buffer.from(dataKey.CiphertextBlob!));
      const random = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
      secrets.push(Buffer.from(random.Plaintext!));
      // A refused request carrying the sentinel (too long a plaintext) is recorded without it too.
      const tooLong = await settle(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(SENTINEL.repeat(200)) })));
      assert.equal(tooLong.ok, false);
      const forged = await settle(kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(SENTINEL) })));
      assert.equal(forged.ok, false);
    } finally {
      await server.stop();
    }
    const bytes = trailBytes(dataDir, streamPath);
    assert.ok(bytes.includes('GenerateDataKey'), 'the trail was written');
    for (const secret of secrets) {
      for (const form of forms(secret)) assert.ok(!bytes.includes(form), 'no secret in the trail, in any encoding');
    }
    for (const line of server.logs) assert.ok(!line.includes(SENTINEL));
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the stream carries exactly the committed records, and the closed trail verifies', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-audit-stream-'));
    const streamPath = join(dataDir, 'audit-stream.jsonl');
    const server = await startTestServer({ dataDir, audit: { stream: streamPath } });
    const publicKey = server.node.audit!.publicKeyPem;
    try {
      for (let i = 0; i < 5; i++) await server.kms().send(new ListKeysCommand({}));
    } finally {
      await server.stop();
    }
    const streamed = readFileSync(streamPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
    assert.deepEqual(streamed, readTrail(dataDir));
    const report = verifyAuditTrail(dataDirectoryLayout(dataDir).auditDatabase, publicKey);
    assert.equal(report.ok, true);
    assert.deepEqual(report.problems, [], 'closing sealed every record');
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a request whose record cannot be written is answered with an internal error, not success', async () => {
    const fault = failingOnce();
    const server = await startTestServer({ audit: { wrapJournal: fault.wrap } });
    try {
      const kms = server.kms();
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      fault.arm();
      const failed = await settle(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })));
      assert.equal(failed.ok, false);
      assert.equal((failed.value as Error).name, 'KMSInternalException');
      const after = await settle(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })));
      assert.equal(after.ok, true, 'the trail recovers once the journal can be written');
      assert.equal(readTrail(server.dataDir).filter((event) => event.requestID === failed.requestId).length, 0);
      assert.ok(server.logs.some((line) => line.includes('outcome-not-recorded')));
    } finally {
      await server.stop();
    }
  });

  test('automatic rotation and deletion are recorded as AwsServiceEvent; retention keeps the trail verifiable', async () => {
    let clock = Date.now();
    const server = await startTestServer({ audit: true, now: () => clock });
    try {
      const kms = server.kms();
      const rotated = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      await kms.send(new EnableKeyRotationCommand({ KeyId: rotated.KeyId, RotationPeriodInDays: 90 }));
      const deleted = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: deleted.KeyId, PendingWindowInDays: 7 }));
      const trail = server.node.audit!;
      await trail.seal();
      clock += 91 * 86_400_000;
      await server.node.runDueJobs();
      const serviceEvents = readTrail(server.dataDir).filter((event) => event.eventType === 'AwsServiceEvent');
      assert.deepEqual(serviceEvents.map((event) => [event.eventName, event.resources?.[0]?.ARN]).sort(), [
        ['DeleteKey', deleted.Arn], ['RotateKey', rotated.Arn],
      ].sort());
      const rotation = serviceEvents.find((event) => event.eventName === 'RotateKey')!;
      assert.deepEqual(rotation.userIdentity, { accountId: server.accountId, invokedBy: 'AWS Internal' });
      assert.deepEqual(rotation.serviceEventDetails, { rotationType: 'AUTOMATIC', keyId: rotated.KeyId });
      assert.equal(rotation.sourceIPAddress, 'AWS Internal');

      await trail.seal();
      const archiveDir = join(server.dataDir, 'archive');
      const result = await trail.applyRetention(30, archiveDir);
      assert.equal(result.removed.length, 1, 'the segment sealed before the clock moved is old enough to go');
      assert.ok(existsSync(result.removed[0]!.archivePath!));
      assert.deepEqual(readTrail(server.dataDir).map((event) => event.eventType), ['AwsServiceEvent', 'AwsServiceEvent']);
      const report = verifyAuditTrail(dataDirectoryLayout(server.dataDir).auditDatabase, trail.publicKeyPem);
      assert.equal(report.ok, true);
    } finally {
      await server.stop();
    }
  });
});
