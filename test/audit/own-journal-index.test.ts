import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openAuditDatabase } from '../../src/audit/audit-database.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { ChainWatch } from '../../src/audit/chain-watch.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { JournalImporter } from '../../src/audit/journal-import.js';
import { journalDirectoryOf } from '../../src/audit/journal.js';
import { createAuditSigningKey } from '../../src/audit/signing-key.js';
import { firstRow } from '../../src/store/audit-store.js';
import { verifyAuditTrail } from '../../src/audit/verify.js';

/*
 * Issue #19: each serving process indexes (and checks) its own journal in the background, not every journal; a
 * reader still indexes every journal before it reads. These pin what that must keep: nothing is left out, nothing is
 * checked twice into a false alarm, and every writer's records are still checked.
 */

const dir = mkdtempSync(join(tmpdir(), 'strongroom-own-journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const { privateKey, publicKey } = createAuditSigningKey();
let files = 0;

const event = (n: number) => apiCallEvent({
  operation: 'Encrypt', readOnly: true, time: 1_700_000_000_000 + n, region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'test',
  requestId: `req-${n}`, eventId: `evt-${n}`, recipientAccountId: '111122223333',
  identity: { type: 'Root', accountId: '111122223333', accessKeyId: 'AKIA1' }, keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
});

/**
 * Two writers on one audit database (as two serving processes of one node), sealing every 4 records, indexing in
 * the background after `aIdleMs` (writer a) and never (writer b) unless asked.
 */
function twoWriters(aIdleMs = 1e9) {
  const path = join(dir, `audit-${++files}.db`);
  const open = (writerId: string, indexWhenIdleMs: number) => openAuditLog({
    path, signingKey: privateKey, now: Date.now, writerId, sealEvery: 4, sealIntervalMs: 1e12, indexWhenIdleMs,
  });
  return { path, a: open('writer-a', aIdleMs), b: open('writer-b', 1e9) };
}

function recordsOf(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT writer, COUNT(*) AS n FROM audit_records GROUP BY writer').all() as { writer: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.writer, row.n]));
  } finally {
    db.close();
  }
}

test('an import of one writer reads only its journal; the next import of every journal reads the rest once', async () => {
  const { path, a, b } = twoWriters();
  try {
    for (let n = 1; n <= 3; n += 1) await a.append(event(n));
    for (let n = 1; n <= 5; n += 1) await b.append(event(n));
    const db = openAuditDatabase(path);
    try {
      const importer = new JournalImporter(db, { directory: journalDirectoryOf(path) });
      assert.equal(importer.import({ writer: 'writer-a' }), 3);
      assert.deepEqual(recordsOf(path), { 'writer-a': 3 });
      assert.equal(importer.import(), 5, 'every journal: only what is new');
      assert.equal(importer.import(), 0);
      await a.append(event(4));
      assert.equal(importer.import({ writer: 'writer-b' }), 0, "another writer's new record is not read");
      assert.equal(importer.import({ writer: 'writer-a' }), 1);
    } finally {
      db.close();
    }
  } finally {
    await a.close();
    await b.close();
  }
  assert.deepEqual(verifyAuditTrail(path, publicKey).problems, []);
});

test("a writer's background index brings in its own journal; a read brings in every journal", async () => {
  const { path, a, b } = twoWriters(10);
  try {
    for (let n = 1; n <= 2; n += 1) await b.append(event(n));
    for (let n = 1; n <= 3; n += 1) await a.append(event(n));
    await waitFor(() => recordsOf(path)['writer-a'] === 3, "writer a's background index");
    assert.deepEqual(recordsOf(path), { 'writer-a': 3 }, "writer b's journal is writer b's to index");
    const count = await a.store.run(firstRow<{ n: number }>("SELECT COUNT(*) AS n FROM audit_records WHERE writer = 'writer-b'"));
    assert.equal(count?.n, 2, "a read by writer a sees writer b's acknowledged records");
  } finally {
    await a.close();
    await b.close();
  }
});

test('a check of one writer, then of every writer: each record checked once, no false alarm, edits found', async () => {
  const { path, a, b } = twoWriters();
  const db = openAuditDatabase(path);
  const importer = new JournalImporter(db, { directory: journalDirectoryOf(path) });
  const watch = new ChainWatch(db, publicKey);
  const found = (writer?: string) => watch.check(writer).map((item) => `${item.writer}:${item.seq}:${item.kind}`);
  try {
    assert.deepEqual(found(), [], 'the first check');
    for (let n = 1; n <= 6; n += 1) await a.append(event(n));
    for (let n = 1; n <= 6; n += 1) await b.append(event(n));
    importer.import({ writer: 'writer-a' });
    assert.deepEqual(found('writer-a'), []);
    importer.import();
    assert.deepEqual(found(), [], "writer a's records, checked already, are not taken for inserted ones");
    for (let n = 7; n <= 8; n += 1) await a.append(event(n));
    for (let n = 7; n <= 8; n += 1) await b.append(event(n)); // seals b's 5..8
    importer.import();
    db.prepare(`UPDATE audit_records SET event_json = replace(event_json, 'req-6', 'req-X') WHERE writer = 'writer-b' AND seq = 6`).run();
    assert.deepEqual(found('writer-a'), [], "a check of writer a does not read writer b's records");
    assert.deepEqual(found(), ['writer-b:6:altered'], "the next check of every writer does, with the digest sealing them");
  } finally {
    db.close();
    await a.close();
    await b.close();
  }
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    if (condition()) return;
    await sleep(25);
  }
  assert.fail(`timed out: ${what}`);
}

test("close indexes the writer's own journal only; another writer's stays for its own close", async () => {
  const { path, a, b } = twoWriters();
  for (let n = 1; n <= 3; n += 1) await a.append(event(n));
  for (let n = 4; n <= 5; n += 1) await b.append(event(n));
  await a.close();
  try {
    assert.deepEqual(recordsOf(path), { 'writer-a': 3 });
    assert.ok(readdirSync(journalDirectoryOf(path)).some((name) => name.startsWith('writer-b.')));
  } finally {
    await b.close();
  }
  assert.deepEqual(recordsOf(path), { 'writer-a': 3, 'writer-b': 2 });
});

test('a close that cannot index (the database held by another process) still stops, reports it, and keeps the journal for the next reader', async () => {
  const path = join(dir, `audit-${++files}.db`);
  const failures: unknown[] = [];
  const log = openAuditLog({
    path, signingKey: privateKey, now: Date.now, writerId: 'writer-a', indexWhenIdleMs: 1e9, busyTimeoutMs: 50,
    onIndexError: (error) => failures.push(error),
  });
  for (let n = 1; n <= 3; n += 1) await log.append(event(n));
  const holder = new Database(path);
  holder.exec('BEGIN IMMEDIATE');
  try {
    await log.close(); // resolves: every record is durable in the journal
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
  assert.equal((failures[0] as { code?: string } | undefined)?.code, 'SQLITE_BUSY');
  assert.ok(readdirSync(journalDirectoryOf(path)).some((name) => name.startsWith('writer-a.')));
  const reader = openAuditLog({ path, signingKey: privateKey, now: Date.now, writerId: 'reader', indexWhenIdleMs: 1e9 });
  await reader.index();
  await reader.close();
  assert.equal(recordsOf(path)['writer-a'], 3);
});
