import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { openAuditDatabase } from '../../src/audit/audit-database.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { applyRetention } from '../../src/audit/retention.js';
import { createAuditSigningKey } from '../../src/audit/signing-key.js';
import { verifyAuditTrail } from '../../src/audit/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-audit-retention-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const { privateKey, publicKey } = createAuditSigningKey();
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
let fileCounter = 0;

function event(n: number) {
  return apiCallEvent({
    operation: 'Encrypt', readOnly: true, time: T0 + n * DAY, region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'test',
    requestId: `req-${n}`, eventId: `evt-${n}`, recipientAccountId: '111122223333',
    identity: { type: 'IAMUser', accountId: '111122223333', userName: 'alice' }, keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
  });
}

/** Events one day apart (n = 1..count), sealed every 5. */
async function trail(count: number): Promise<string> {
  const path = join(dir, `audit-${++fileCounter}.db`);
  const log = openAuditLog({ path, signingKey: privateKey, now: () => T0, writerId: 'w', sealEvery: 5 });
  for (let n = 1; n <= count; n += 1) await log.append(event(n));
  await log.close();
  return path;
}

function withDb<T>(path: string, use: (db: Database.Database) => T): T {
  const db = openAuditDatabase(path);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const seqs = (path: string): number[] =>
  withDb(path, (db) => (db.prepare('SELECT seq FROM audit_records ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq));

void describe('audit retention', () => {
  void test('removes whole sealed segments older than the cutoff; what remains still verifies', async () => {
    const path = await trail(17);
    // Cutoff after event 12: segments 1..5 and 6..10 are wholly older; 11..15 holds event 13, so it stays.
    const result = withDb(path, (db) => applyRetention(db, { olderThan: T0 + 12.5 * DAY, signingKey: privateKey, now: () => T0 + 20 * DAY }));
    assert.deepEqual(result.removed.map((s) => [s.fromSeq, s.toSeq]), [[1, 5], [6, 10]]);
    assert.deepEqual(seqs(path), [11, 12, 13, 14, 15, 16, 17]);
    const report = verifyAuditTrail(path, publicKey);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
  });

  void test('archives removed segments as JSON Lines before removing them', async () => {
    const path = await trail(12);
    const archiveDir = join(dir, `archive-${fileCounter}`);
    const result = withDb(path, (db) => applyRetention(db, { olderThan: T0 + 11 * DAY, archiveDir, signingKey: privateKey, now: () => T0 }));
    assert.deepEqual(readdirSync(archiveDir).sort(), ['w-1-5.jsonl', 'w-6-10.jsonl']);
    const archivePath = result.removed[0]?.archivePath ?? '';
    assert.equal(statSync(archivePath).mode & 0o777, 0o600);
    const lines = readFileSync(archivePath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(lines.slice(0, 5).map((line) => line['seq']), [1, 2, 3, 4, 5]);
    assert.equal((JSON.parse(String(lines[0]?.['eventJson'])) as { eventID: string }).eventID, 'evt-1');
    assert.ok(lines[5]?.['digest'] !== undefined);
  });

  void test('a retention run that another run overtook between its read and its removal changes nothing', async () => {
    const path = await trail(17);
    // Run A (cutoff after event 6: segment 1..5) reads, then run B (cutoff after event 12: 1..10) removes and
    // writes its marker, then A commits. A's marker (through 5) must not replace B's (through 10): the chain
    // would then resume at 5 while its records start at 11, and 6..10 would read as removed.
    const result = withDb(path, (db) => applyRetention(db, {
      olderThan: T0 + 6.5 * DAY, signingKey: privateKey, now: () => T0 + 20 * DAY,
      beforeRemove: () => withDb(path, (other) => applyRetention(other, { olderThan: T0 + 12.5 * DAY, signingKey: privateKey, now: () => T0 + 20 * DAY })),
    }));
    assert.deepEqual(result.removed, [], 'the overtaken run removes nothing and says so');
    assert.deepEqual(seqs(path), [11, 12, 13, 14, 15, 16, 17]);
    assert.deepEqual(verifyAuditTrail(path, publicKey).problems, []);
  });

  void test('the writer continues after retention, and tampering with what remains is still found', async () => {
    const path = await trail(12);
    withDb(path, (db) => applyRetention(db, { olderThan: T0 + 11 * DAY, signingKey: privateKey, now: () => T0 }));
    const log = openAuditLog({ path, signingKey: privateKey, now: () => T0, writerId: 'w', sealEvery: 5 });
    for (let n = 13; n <= 15; n += 1) await log.append(event(n));
    await log.close();
    assert.deepEqual(verifyAuditTrail(path, publicKey).problems, []);
    withDb(path, (db) => db.prepare('DELETE FROM audit_records WHERE seq = 11').run());
    assert.deepEqual(verifyAuditTrail(path, publicKey).problems.map((p) => `${p.seq}:${p.kind}`), ['11:removed']);
  });

  void test('a forged retention marker is reported', async () => {
    const path = await trail(12);
    withDb(path, (db) => applyRetention(db, { olderThan: T0 + 11 * DAY, signingKey: privateKey, now: () => T0 }));
    withDb(path, (db) => db.prepare('UPDATE audit_retention SET cutoff = cutoff + 1').run());
    assert.deepEqual(verifyAuditTrail(path, publicKey).problems.map((p) => `${p.seq}:${p.kind}`), ['10:bad-digest']);
  });

  void test('refuses to remove a segment that does not verify (that would erase the evidence)', async () => {
    const path = await trail(12);
    withDb(path, (db) => db.prepare(`UPDATE audit_records SET event_json = replace(event_json, 'alice', 'mallory') WHERE seq = 7`).run());
    const result = withDb(path, (db) => applyRetention(db, { olderThan: T0 + 11 * DAY, signingKey: privateKey, now: () => T0 }));
    assert.deepEqual(result.removed.map((s) => s.fromSeq), [1]);
    assert.deepEqual(result.refused, [{ writer: 'w', fromSeq: 6 }]);
    assert.deepEqual(verifyAuditTrail(path, publicKey).problems.map((p) => `${p.seq}:${p.kind}`), ['7:altered']);
  });
});
