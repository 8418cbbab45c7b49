import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CommittedEvent } from '../../src/audit/audit-log.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { keyLastUsage, lookupEvents } from '../../src/audit/lookup-events.js';
import { openMemoryAuditLog } from '../../src/audit/memory-audit-log.js';
import { createAuditSigningKey, exportAuditPublicKey } from '../../src/audit/signing-key.js';
import { verifyAuditTrail } from '../../src/audit/verify.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/k';
const { privateKey } = createAuditSigningKey();
const publicKeyPem = exportAuditPublicKey(privateKey);

function event(n: number) {
  return apiCallEvent({
    operation: 'Encrypt', readOnly: true, time: 1_700_000_000_000 + n * 1000, region: 'us-east-1', sourceIp: '127.0.0.1',
    userAgent: 'test', requestId: `req-${n}`, eventId: `evt-${n}`, recipientAccountId: '111122223333',
    identity: { type: 'IAMUser', accountId: '111122223333', accessKeyId: 'AKIA1', userName: 'alice' },
    input: { KeyId: 'k', Plaintext: 'c2VjcmV0' }, keyArns: [KEY_ARN],
  });
}

const openLog = (extra: { sealEvery?: number; sinks?: { write(events: readonly CommittedEvent[]): void }[] } = {}) =>
  openMemoryAuditLog({ signingKey: privateKey, now: () => 1_700_000_100_000, writerId: 'memory-writer', ...extra });

describe('the in-memory audit log of an ephemeral server', () => {
  test('records are chained and sealed as on disk: the trail verifies, and LookupEvents and key last usage read it', async () => {
    const log = openLog({ sealEvery: 3 });
    for (let n = 1; n <= 7; n++) await log.append(event(n));
    await log.seal();
    const report = verifyAuditTrail(log.database, publicKeyPem);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.problems.length, 0, 'sealed to the last record');
    const digests = log.database.prepare('SELECT from_seq, to_seq FROM audit_digests ORDER BY id').all();
    assert.deepEqual(digests, [{ from_seq: 1, to_seq: 3 }, { from_seq: 4, to_seq: 6 }, { from_seq: 7, to_seq: 7 }]);
    const found = lookupEvents(log.database, { accountId: '111122223333', lookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: 'evt-5' }] });
    assert.deepEqual(found.events.map((found) => found.EventId), ['evt-5']);
    assert.equal(keyLastUsage(log.database, KEY_ARN)?.operation, 'Encrypt');
    await log.close();
  });

  test('a sink sees each record once it is recorded; appends after close are refused', async () => {
    const seen: CommittedEvent[] = [];
    const log = openLog({ sinks: [{ write: (events) => seen.push(...events) }] });
    await log.append(event(1));
    await log.append(event(2));
    assert.deepEqual(seen.map(({ writer, seq, event }) => [writer, seq, event.eventID]), [['memory-writer', 1, 'evt-1'], ['memory-writer', 2, 'evt-2']]);
    assert.equal(seen[0]?.json, JSON.stringify(event(1)));
    await log.close();
    await assert.rejects(log.append(event(3)), { name: 'AuditWriteError' });
    await assert.rejects(log.index(), /closed/);
  });
});
