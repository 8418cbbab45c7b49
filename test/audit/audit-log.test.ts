import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { AuditWriteError, openAuditLog, type AuditLogOptions, type CommitInfo, type IndexInfo } from '../../src/audit/audit-log.js';
import { IndexingError } from '../../src/audit/background-indexer.js';
import { journalDirectoryOf, listJournalFiles } from '../../src/audit/journal.js';
import { failingOnce } from '../support/faulty-journal.js';
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
    operation: 'Encrypt', readOnly: true, time: 1_700_000_000_000 + n * 1000, region: 'us-east-1', sourceIp: '127.0.0.1',
    userAgent: 'test', requestId: `req-${n}`, eventId: `evt-${n}`, recipientAccountId: '111122223333',
    identity: { type: 'IAMUser', accountId: '111122223333', accessKeyId: 'AKIA1', userName: 'alice' },
    input: { KeyId: 'k', Plaintext: 'c2VjcmV0' }, keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
  });
}

function openLog(path: string, extra: Partial<AuditLogOptions> = {}) {
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

/** The text of every journal file beside `path`. */
const journalText = (path: string): string =>
  listJournalFiles(journalDirectoryOf(path)).map((file) => readFileSync(file, 'utf8')).join('');

void describe('audit log: journal with group commit', () => {
  void test('concurrent appends share one journal write', async () => {
    const path = freshPath();
    const commits: CommitInfo[] = [];
    const log = openLog(path, { onCommit: (info) => commits.push(info) });
    await Promise.all(Array.from({ length: 500 }, (_, n) => log.append(event(n))));
    assert.equal(commits.length, 1);
    assert.equal(commits[0]?.records, 500);
    await log.close();
    assert.equal(rowCount(path), 500);
  });

  void test('sequential appends are not held back: each is written on its own', async () => {
    const path = freshPath();
    const commits: CommitInfo[] = [];
    const log = openLog(path, { onCommit: (info) => commits.push(info) });
    for (let n = 0; n < 5; n += 1) await log.append(event(n));
    assert.deepEqual(commits.map((info) => info.records), [1, 1, 1, 1, 1]);
    await log.close();
  });

  void test('every append resolves only once its record is in the journal; indexing follows when idle', async () => {
    const path = freshPath();
    const indexes: IndexInfo[] = [];
    const log = openLog(path, { indexWhenIdleMs: 20, onIndex: (info) => indexes.push(info) });
    const seen = await Promise.all(Array.from({ length: 20 }, (_, n) => log.append(event(n)).then(() => journalText(path).includes(`"evt-${n}"`))));
    assert.deepEqual(seen, Array.from({ length: 20 }, () => true));
    while (indexes.length === 0) await new Promise((resolve) => setTimeout(resolve, 10)); // the idle timer does not hold the process
    assert.equal(indexes[0]?.records, 20);
    assert.equal(rowCount(path), 20);
    await log.close();
  });

  void test('a lock held on the database never delays an append; indexing catches up once it is free', async () => {
    const path = freshPath();
    const indexes: IndexInfo[] = [];
    const errors: unknown[] = [];
    // A backlog of 10 makes the write of the 10 records try to index at once, before their appends return; a
    // busy timeout of 20 ms makes it give up on the lock, and try again, several times while the lock is held.
    const log = openLog(path, {
      indexWhenIdleMs: 10, indexBacklog: 10, busyTimeoutMs: 20, onIndex: (info) => indexes.push(info), onIndexError: (error) => errors.push(error),
    });
    const other = new Database(path); // another process, holding the write lock for a while
    other.exec('BEGIN IMMEDIATE');
    await Promise.all(Array.from({ length: 10 }, (_, n) => log.append(event(n))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(indexes, [], 'indexing waits for the lock, off the request path');
    other.exec('COMMIT');
    other.close();
    while (indexes.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(errors, [], 'another process holding the lock is not an error to report');
    assert.equal(rowCount(path), 10);
    await log.close();
    assert.deepEqual(verifyAuditTrail(path, publicKey).problems, []);
  });

  void test('a reader\'s index waits for a lock on the indexer\'s thread, while the event loop acknowledges appends', async () => {
    const path = freshPath();
    const log = openLog(path, { indexWhenIdleMs: 1e9 });
    await log.append(event(0));
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    let indexed = false;
    const index = log.index().then(() => {
      indexed = true;
    });
    await log.append(event(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(indexed, false, 'the index is still waiting for the lock');
    other.exec('COMMIT');
    other.close();
    await index;
    assert.equal(rowCount(path), 2, 'both records, the one appended while it waited included');
    await log.close();
  });

  void test('an index that cannot get the lock in time rejects, naming SQLite\'s busy error; the records stay journaled', async () => {
    const path = freshPath();
    const log = openLog(path, { indexWhenIdleMs: 1e9, busyTimeoutMs: 20 });
    await log.append(event(0));
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const failure: unknown = await log.index().then(() => undefined, (error: unknown) => error);
    other.exec('COMMIT');
    other.close();
    assert.ok(failure instanceof IndexingError);
    assert.equal(failure.code, 'SQLITE_BUSY');
    assert.ok(journalText(path).includes('"evt-0"'));
    await log.index();
    assert.equal(rowCount(path), 1);
    await log.close();
  });

  void test('a failed journal write rejects every append of its batch, and the chain stays intact', async () => {
    const path = freshPath();
    const fault = failingOnce();
    const log = openLog(path, { wrapJournal: fault.wrap });
    await log.append(event(0));
    fault.arm();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, n) => log.append(event(n + 1))));
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

  void test('close writes what is queued, seals and indexes it, and removes the journal; later appends are rejected', async () => {
    const path = freshPath();
    const log = openLog(path);
    const pending = Array.from({ length: 7 }, (_, n) => log.append(event(n)));
    await log.close();
    await Promise.all(pending);
    assert.equal(rowCount(path), 7);
    assert.equal(rowCount(path, 'audit_digests'), 1);
    assert.deepEqual(listJournalFiles(journalDirectoryOf(path)), []);
    assert.deepEqual(verifyAuditTrail(path, publicKey).problems, []);
    await assert.rejects(log.append(event(8)), AuditWriteError);
  });

  void test('a digest is sealed into the journal every N records', async () => {
    const path = freshPath();
    const commits: CommitInfo[] = [];
    const log = openLog(path, { sealEvery: 10, onCommit: (info) => commits.push(info) });
    for (let n = 0; n < 25; n += 1) await log.append(event(n));
    assert.equal(commits.filter((info) => info.digest).length, 2);
    assert.equal(journalText(path).split('\n').filter((line) => line.startsWith('D ')).length, 2);
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

  void test('a full journal file is followed by the next; full ones go once indexed, and the chain runs across them', async () => {
    const path = freshPath();
    const indexes: IndexInfo[] = [];
    const log = openLog(path, { journalFileBytes: 8 * 1024, indexWhenIdleMs: 1e9, onIndex: (info) => indexes.push(info) });
    for (let n = 0; n < 40; n += 1) await log.append(event(n));
    const files = listJournalFiles(journalDirectoryOf(path));
    assert.ok(files.length > 3, `${files.length} journal files`);
    assert.ok(files.every((file, index) => index === 0 || file > files[index - 1]!), 'files sort in the order they were written');
    await log.seal();
    const remaining = listJournalFiles(journalDirectoryOf(path));
    assert.ok(remaining.length <= 2, `only the file in use and the spare prepared for the next remain: ${remaining.length}`);
    assert.equal(rowCount(path), 40);
    await log.close();
    assert.deepEqual(listJournalFiles(journalDirectoryOf(path)), [], 'a clean close removes both');
    assert.deepEqual(verifyAuditTrail(path, publicKey).problems, []);
  });

  void test('when the spare file cannot be prepared, the next file is made when it is needed', async () => {
    const path = freshPath();
    // The name the spare would take is already used, so preparing it fails.
    mkdirSync(journalDirectoryOf(path), { recursive: true });
    writeFileSync(join(journalDirectoryOf(path), 'writer-a.000001.log'), '');
    const log = openLog(path, { journalFileBytes: 8 * 1024, indexWhenIdleMs: 1e9 });
    for (let n = 0; n < 20; n += 1) await log.append(event(n));
    await log.close();
    assert.equal(rowCount(path), 20);
    assert.deepEqual(verifyAuditTrail(path, publicKey).problems, []);
  });

  void test('the journal of a writer that never closed (a crash) is imported when the next log opens', async () => {
    const path = freshPath();
    const crashed = openLog(path, { writerId: 'crashed', indexWhenIdleMs: 1e9 });
    for (let n = 0; n < 3; n += 1) await crashed.append(event(n));
    assert.equal(rowCount(path), 0);
    const next = openLog(path, { writerId: 'next' });
    assert.equal(rowCount(path), 3);
    await next.close();
    const report = verifyAuditTrail(path, publicKey);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
  });

  void test('a record edited in the journal before it was indexed is reported as altered', async () => {
    const path = freshPath();
    const log = openLog(path, { writerId: 'edited', indexWhenIdleMs: 1e9 });
    for (let n = 0; n < 3; n += 1) await log.append(event(n));
    const [file] = listJournalFiles(journalDirectoryOf(path));
    writeFileSync(file!, readFileSync(file!, 'utf8').replace('"req-1"', '"req-X"'));
    await log.close();
    const report = verifyAuditTrail(path, publicKey);
    assert.equal(report.ok, false);
    assert.deepEqual(report.problems.map((problem) => [problem.seq, problem.kind]), [[2, 'altered']]);
  });
});

void describe('JSON Lines sink', () => {
  void test('receives exactly the durable events, once they are in the journal', async () => {
    const path = freshPath();
    const linesPath = join(dir, 'sink.jsonl');
    const sink = createJsonLinesSink({ path: linesPath });
    const fault = failingOnce();
    const inJournalAtSink: boolean[] = [];
    const log = openAuditLog({
      path, signingKey: privateKey, now: () => 0, writerId: 'writer-sink', wrapJournal: fault.wrap,
      sinks: [sink, { write: (events) => inJournalAtSink.push(events.every((e) => journalText(path).includes(e.json))) }],
    });
    await Promise.all([log.append(event(1)), log.append(event(2))]);
    fault.arm();
    await assert.rejects(log.append(event(3)), AuditWriteError);
    await log.append(event(4));
    await log.close();
    sink.close();
    const lines = readFileSync(linesPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { eventID: string });
    assert.deepEqual(lines.map((line) => line.eventID), ['evt-1', 'evt-2', 'evt-4']);
    assert.deepEqual(inJournalAtSink, [true, true]);
  });
});
