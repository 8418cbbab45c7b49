import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openAuditDatabase, type AuditDatabase } from '../../src/audit/audit-database.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { ChainWatch, importAndCheck } from '../../src/audit/chain-watch.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { importAuditJournals, JournalImporter } from '../../src/audit/journal-import.js';
import { journalDirectoryOf } from '../../src/audit/journal.js';
import { createAuditSigningKey } from '../../src/audit/signing-key.js';

/*
 * Issue #19: the indexing thread checks each import chunk inside the transaction that stored it, from the records
 * as inserted, instead of reading them back after the commit (importAndCheck, ChainWatch.check's `stored`). These
 * pin that it finds what a check reading the database finds: an altered journal line, and rows stored by another
 * connection (read back, as before), across chunks, without false alarms; and that a failing check never undoes
 * the import.
 */

const dir = mkdtempSync(join(tmpdir(), 'strongroom-check-as-stored-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const { privateKey, publicKey } = createAuditSigningKey();
let files = 0;

const event = (n: number) => apiCallEvent({
  operation: 'Encrypt', readOnly: true, time: 1_700_000_000_000 + n, region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'test',
  requestId: `req-${String(n).padStart(5, '0')}`, eventId: `evt-${n}`, recipientAccountId: '111122223333',
  identity: { type: 'Root', accountId: '111122223333', accessKeyId: 'AKIA1' }, keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
});

/** A writer `w` that indexes only when asked (sealing every `sealEvery`), and this process's importer and watch. */
function trail(sealEvery = 5) {
  const path = join(dir, `audit-${++files}.db`);
  const log = openAuditLog({ path, signingKey: privateKey, now: Date.now, writerId: 'w', sealEvery, sealIntervalMs: 1e12, indexWhenIdleMs: 1e9 });
  const db = openAuditDatabase(path);
  const importer = new JournalImporter(db, { directory: journalDirectoryOf(path) });
  const watch = new ChainWatch(db, publicKey);
  watch.check(); // the check at start, before anything is indexed
  const append = async (from: number, to: number) => {
    for (let n = from; n <= to; n += 1) await log.append(event(n));
  };
  const run = () => {
    const { records, chain } = importAndCheck(importer, watch, 'w');
    assert.ok(chain !== undefined && 'breaks' in chain, `the check ran: ${JSON.stringify(chain)}`);
    return { records, found: chain.breaks.map((b) => `${b.writer}:${b.seq}:${b.kind}`) };
  };
  const close = async () => {
    db.close();
    await log.close();
  };
  return { path, db, watch, importer, append, run, close };
}

/** Replaces `from` with `to` in the event JSON of record `seq` as `audit.db` holds it. */
function editRow(db: AuditDatabase, seq: number, from: string, to: string): void {
  db.prepare('UPDATE audit_records SET event_json = replace(event_json, ?, ?) WHERE seq = ?').run(from, to, seq);
}

/** Replaces `from` with `to` (same length) in the writer's journal files. */
function editJournal(path: string, from: string, to: string): void {
  const directory = journalDirectoryOf(path);
  for (const name of readdirSync(directory)) {
    const file = join(directory, name);
    writeFileSync(file, readFileSync(file, 'latin1').replace(from, to), 'latin1');
  }
}

test('a journal line altered before its import is found by the check in the transaction that stores it', async () => {
  const t = trail();
  try {
    await t.append(1, 7);
    editJournal(t.path, 'req-00003', 'req-0000X');
    assert.deepEqual(t.run(), { records: 7, found: ['w:3:altered'] });
    await t.append(8, 10); // the digest sealing 6..10 re-reads 6 and 7 (stored by the earlier run) from the database
    assert.deepEqual(t.run(), { records: 3, found: [] });
  } finally {
    await t.close();
  }
});

test("this writer's rows another connection stored, and edited, are read back and checked with what the import stores", async () => {
  const t = trail();
  try {
    await t.append(1, 3);
    importAuditJournals(t.path); // a reader of another process indexes every journal, this writer's too
    editRow(t.db, 2, 'req-00002', 'req-0000Y');
    await t.append(4, 6);
    assert.deepEqual(t.run(), { records: 3, found: ['w:2:altered'] });
  } finally {
    await t.close();
  }
});

test('an import that stores nothing still checks what others stored', async () => {
  const t = trail();
  try {
    await t.append(1, 4);
    importAuditJournals(t.path);
    editRow(t.db, 4, 'req-00004', 'req-0000Z');
    assert.deepEqual(t.run(), { records: 0, found: ['w:4:altered'] });
  } finally {
    await t.close();
  }
});

test('a backlog of several chunks is checked chunk by chunk without a false alarm, and nothing is checked twice', async () => {
  const t = trail(1000);
  try {
    await t.append(1, 6500); // two import transactions (5,000 lines each), digests every 1,000 records
    assert.deepEqual(t.run(), { records: 6500, found: [] });
    assert.deepEqual(t.watch.check(), [], 'a check of every writer afterwards finds nothing new, and nothing inserted');
    await t.append(6501, 6600);
    t.importer.import(); // stored without a check: the next check reads it back
    editRow(t.db, 6550, 'req-06550', 'req-0655X');
    assert.deepEqual(t.run(), { records: 0, found: ['w:6550:altered'] });
  } finally {
    await t.close();
  }
});

test('a check that fails inside the import transaction does not undo the import, and is reported', async () => {
  const t = trail();
  try {
    await t.append(1, 3);
    t.watch.check = () => {
      throw new RangeError('the check failed');
    };
    assert.deepEqual(importAndCheck(t.importer, t.watch, 'w'), { records: 3, chain: { error: { name: 'RangeError' } } });
    assert.equal(t.db.prepare('SELECT COUNT(*) FROM audit_records').pluck().get(), 3);
  } finally {
    await t.close();
  }
});

test('a commit that fails after the check puts the watch back: the rows stored again are checked again', async () => {
  const t = trail();
  try {
    await t.append(1, 4);
    // A commit that fails after the check ran: a deferred constraint, broken by the third record's insert.
    t.db.pragma('foreign_keys = ON');
    t.db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER fail_commit AFTER INSERT ON audit_records WHEN NEW.event_id = 'evt-3' BEGIN INSERT INTO child VALUES (42); END;`);
    assert.throws(() => importAndCheck(t.importer, t.watch, 'w'), /FOREIGN KEY/);
    assert.equal(t.db.prepare('SELECT COUNT(*) FROM audit_records').pluck().get(), 0, 'the chunk rolled back');
    t.db.exec('DROP TRIGGER fail_commit');
    editJournal(t.path, 'req-00002', 'req-0000W'); // had the watch kept what it learnt, seq 2 would go unchecked
    assert.deepEqual(t.run(), { records: 4, found: ['w:2:altered'] });
  } finally {
    await t.close();
  }
});
