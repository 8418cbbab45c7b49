import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { AuditWriteError, openAuditLog, type CommitInfo } from '../../src/audit/audit-log.js';
import { createJsonLinesSink } from '../../src/audit/json-lines-sink.js';
import { createAuditSigningKey } from '../../src/audit/signing-key.js';
import { verifyAuditTrail } from '../../src/audit/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-audit-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;
const freshPath = (): string => join(dir, `audit-${++fileCounter}.db`);
const { privateKey, publicKey } = createAuditSigningKey();

function event(n: number) {
  return apiCallEvent({
    operation: 'Encrypt', time: 1_700_000_000_000 + n * 1000, region: 'us-east-1', sourceIp: '127.0.0.1',
    userAgent: 'test', requestId: `req-${n}`, eventId: `evt-${n}`, recipientAccountId: '111122223333',
    identity: { type: 'IAMUser', accountId: '111122223333', accessKeyId: 'AKIA1', userName: 'alice' },
    input: { KeyId: 'k', Plaintext: 'c2VjcmV0' }, keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
  });
}

function openLog(path: string, extra: { onCommit?: (info: CommitInfo) => void; busyTimeoutMs?: number; sealEvery?: number } = {}) {
  return openAuditLog({ path, signingKey: privateKey, now: () => 1_700_000_000_000, writerId: 'writer-a', ...extra });
}

const rowCount = (path: string, table = 'audit_records'): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

void describe('audit log group commit', () => {
  void test('concurrent appends share one transaction', async () => {
    const path = freshPath();
    const commits: CommitInfo[] = [];
    const log = openLog(path, { onCommit: (info) => commits.push(info) });
    await Promise.all(Array.from({ length: 500 }, (_, n) => log.append(event(n))));
    assert.equal(commits.length, 1);
    assert.equal(commits[0]?.records, 500);
    await log.close();
    assert.equal(rowCount(path), 500);
  });

  void test('sequential appends are not held back: each commits on its own', async () => {
    const path = freshPath();
    const commits: CommitInfo[] = [];
    const log = openLog(path, { onCommit: (info) => commits.push(info) });
    for (let n = 0; n < 5; n += 1) await log.append(event(n));
    assert.deepEqual(commits.map((info) => info.records), [1, 1, 1, 1, 1]);
    await log.close();
  });

  void test('every append resolves only after its record is committed (visible to another connection)', async () => {
    const path = freshPath();
    const log = openLog(path);
    const reader = new Database(path, { readonly: true });
    const seen = await Promise.all(Array.from({ length: 20 }, (_, n) => log.append(event(n)).then(() =>
      (reader.prepare('SELECT COUNT(*) AS n FROM audit_records WHERE event_id = ?').get(`evt-${n}`) as { n: number }).n)));
    assert.deepEqual(seen, Array.from({ length: 20 }, () => 1));
    reader.close();
    await log.close();
  });

  void test('a failed flush rejects every append of its batch, and the chain stays intact', async () => {
    const path = freshPath();
    const log = openLog(path, { busyTimeoutMs: 0 });
    await log.append(event(0));
    const blocker = new Database(path);
    blocker.exec('BEGIN IMMEDIATE'); // another process holds the write lock: the flush cannot commit
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, n) => log.append(event(n + 1))));
    blocker.exec('ROLLBACK');
    blocker.close();
    assert.equal(results.length, 10);
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.ok(result.reason instanceof AuditWriteError);
    }
    await log.append(event(99));
    await log.close();
    assert.equal(rowCount(path), 2);
    const report = verifyAuditTrail(path, publicKey);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.deepEqual(report.problems, []);
  });

  void test('close writes what is queued and seals it; appends after close are rejected', async () => {
    const path = freshPath();
    const log = openLog(path);
    const pending = Array.from({ length: 7 }, (_, n) => log.append(event(n)));
    await log.close();
    await Promise.all(pending);
    assert.equal(rowCount(path), 7);
    assert.equal(rowCount(path, 'audit_digests'), 1);
    assert.deepEqual(verifyAuditTrail(path, publicKey).problems, []);
    await assert.rejects(log.append(event(8)), AuditWriteError);
  });

  void test('a digest is sealed every N records', async () => {
    const path = freshPath();
    const log = openLog(path, { sealEvery: 10 });
    for (let n = 0; n < 25; n += 1) await log.append(event(n));
    assert.equal(rowCount(path, 'audit_digests'), 2);
    await log.close();
    assert.equal(rowCount(path, 'audit_digests'), 3);
  });

  void test('a writer reopened with the same id continues its chain', async () => {
    const path = freshPath();
    const first = openLog(path, { sealEvery: 3 });
    for (let n = 0; n < 4; n += 1) await first.append(event(n));
    await first.close();
    const second = openLog(path, { sealEvery: 3 });
    for (let n = 4; n < 9; n += 1) await second.append(event(n));
    await second.close();
    const report = verifyAuditTrail(path, publicKey);
    assert.deepEqual(report.problems, []);
    assert.equal(report.writers[0]?.records, 9);
  });
});

void describe('JSON Lines sink', () => {
  void test('receives exactly the committed events, after commit', async () => {
    const path = freshPath();
    const linesPath = join(dir, 'sink.jsonl');
    const sink = createJsonLinesSink({ path: linesPath });
    const committedAtSink: number[] = [];
    const log = openAuditLog({
      path, signingKey: privateKey, now: () => 0, writerId: 'writer-sink', busyTimeoutMs: 0,
      sinks: [sink, { write: () => committedAtSink.push(rowCount(path)) }],
    });
    await Promise.all([log.append(event(1)), log.append(event(2))]);
    const blocker = new Database(path);
    blocker.exec('BEGIN IMMEDIATE');
    await assert.rejects(log.append(event(3)), AuditWriteError);
    blocker.exec('ROLLBACK');
    blocker.close();
    await log.append(event(4));
    await log.close();
    sink.close();
    const lines = readFileSync(linesPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { eventID: string });
    assert.deepEqual(lines.map((line) => line.eventID), ['evt-1', 'evt-2', 'evt-4']);
    assert.deepEqual(committedAtSink, [2, 3]); // the sink ran when the batch was already in the database
  });
});
