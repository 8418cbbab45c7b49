import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openAuditDatabase } from '../../src/audit/audit-database.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { JournalImporter } from '../../src/audit/journal-import.js';
import { createJournalFile, journalDirectoryOf, journalLine, type JournalFile } from '../../src/audit/journal.js';
import { WriterChain } from '../../src/audit/writer-chain.js';
import { createAuditSigningKey } from '../../src/audit/signing-key.js';
import { verifyAuditTrail } from '../../src/audit/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-journal-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const { privateKey, publicKey } = createAuditSigningKey();

const event = (n: number) => apiCallEvent({
  operation: 'Encrypt', readOnly: true, time: 1_700_000_000_000 + n, region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'test',
  requestId: `req-${n}`, eventId: `evt-${n}`, recipientAccountId: '111122223333',
  identity: { type: 'Root', accountId: '111122223333', accessKeyId: 'AKIA1' }, keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
});

test('an import that fails part-way is rolled back and read again in full by the next one', async () => {
  const path = join(dir, 'audit.db');
  const log = openAuditLog({ path, signingKey: privateKey, now: Date.now, writerId: 'w', indexWhenIdleMs: 1e9 });
  for (let n = 1; n <= 3; n += 1) await log.append(event(n));
  const db = openAuditDatabase(path);
  const importer = new JournalImporter(db);
  db.exec(`CREATE TRIGGER fail_second BEFORE INSERT ON audit_records WHEN NEW.event_id = 'evt-2'
           BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
  assert.throws(() => importer.import(), /disk trouble/);
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM audit_records').get() as { n: number }).n, 0);
  db.exec('DROP TRIGGER fail_second');
  assert.equal(importer.import(), 3, 'what the failed transaction read is read again');
  assert.equal(importer.import(), 0, 'and once imported, not again');
  db.close();
  await log.close();
  assert.deepEqual(verifyAuditTrail(path, publicKey).problems, []);
});

/**
 * The cause of the records lost under load (issue #20): an import read a writer's full file, the writer then
 * appended that file's last batch and moved on to its next file, and the same import read the next file. Its
 * records went in first; the old file's tail, now at or below the writer's last seq in the database, was
 * skipped by every later import, and the file was removed once "indexed". The interleaving is driven here
 * directly, through the importer's read hook, not by luck.
 */
test('a writer that moves to its next file while an import reads its files loses nothing', () => {
  const path = join(dir, 'rollover-race.db');
  const db = openAuditDatabase(path);
  const directory = journalDirectoryOf(path);
  const chain = WriterChain.resume(db, 'w', Date.now());
  // The file in use holds records 1–3; its spare (the next file) is prepared and still empty.
  const first = createJournalFile(directory, 'w', 0, 64 * 1024);
  const spare = createJournalFile(directory, 'w', 1, 64 * 1024);
  const appended = new Map([[first.path, 0], [spare.path, 0]]);
  const appendTo = (file: JournalFile, from: number, to: number) => {
    const jsons = Array.from({ length: to - from + 1 }, (_, i) => JSON.stringify(event(from + i)));
    const records = chain.extend(jsons);
    const text = records.map((r, i) => journalLine(r.seq, r.prevHash, r.hash, jsons[i]!)).join('');
    const fd = openSync(file.path, 'r+');
    writeSync(fd, text, file.length + appended.get(file.path)!);
    closeSync(fd);
    appended.set(file.path, appended.get(file.path)! + Buffer.byteLength(text));
    chain.advance(records);
  };
  appendTo(first, 1, 3);
  let moved = false;
  const importer = new JournalImporter(db, {
    afterRead() {
      if (moved) return;
      moved = true;
      appendTo(first, 4, 6); // the full file's last batch ...
      appendTo(spare, 7, 9); // ... then the writer's first batch in its next file
    },
  });
  importer.import();
  importer.import();
  const seqs = db.prepare("SELECT seq FROM audit_records WHERE writer = 'w' ORDER BY seq").pluck().all();
  assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  first.close();
  spare.close();
  db.close();
});

/**
 * The same class of loss at start-up (and in the CLI, which imports before it reads): a journal of a process that
 * ended is removed once imported, so whatever that process wrote between the import's read and its own end must
 * be read too. The process here ended before the import (a pid that has exited); the read hook appends what it
 * wrote "meanwhile".
 */
test('the journal of a process that ended while it was being read is read to its end before it is removed', () => {
  const path = join(dir, 'orphan-race.db');
  const db = openAuditDatabase(path);
  const directory = journalDirectoryOf(path);
  const chain = WriterChain.resume(db, 'ended', Date.now());
  const lines = (from: number, to: number) => {
    const jsons = Array.from({ length: to - from + 1 }, (_, i) => JSON.stringify(event(from + i)));
    const records = chain.extend(jsons);
    chain.advance(records);
    return records.map((r, i) => journalLine(r.seq, r.prevHash, r.hash, jsons[i]!)).join('');
  };
  const endedPid = spawnSync(process.execPath, ['-e', '']).pid;
  const file = join(directory, 'ended.000000.log');
  mkdirSync(directory, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ writer: 'ended', host: hostname(), pid: endedPid })}\n${lines(1, 3)}`, { mode: 0o600 });
  let appended = false;
  const importer = new JournalImporter(db, {
    afterRead() {
      if (appended) return;
      appended = true;
      appendFileSync(file, lines(4, 6));
    },
  });
  importer.import({ removeOrphans: true });
  assert.equal(existsSync(file), false, 'the ended process journal is removed once imported');
  const seqs = db.prepare("SELECT seq FROM audit_records WHERE writer = 'ended' ORDER BY seq").pluck().all();
  assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6]);
  db.close();
});

test('a backlog is imported in chunks: a failure in a later chunk keeps what earlier ones committed, and loses nothing', async () => {
  const path = join(dir, 'chunks.db');
  const log = openAuditLog({ path, signingKey: privateKey, now: Date.now, writerId: 'w', indexWhenIdleMs: 1e9, sealEvery: 1e9 });
  await Promise.all(Array.from({ length: 6000 }, (_, i) => log.append(event(i + 1))));
  const db = openAuditDatabase(path);
  db.exec(`CREATE TRIGGER fail_late BEFORE INSERT ON audit_records WHEN NEW.event_id = 'evt-5500'
           BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
  const importer = new JournalImporter(db);
  assert.throws(() => importer.import(), /disk trouble/);
  assert.equal(db.prepare('SELECT COUNT(*) FROM audit_records').pluck().get(), 5000, 'the first chunk stays');
  db.exec('DROP TRIGGER fail_late');
  assert.equal(importer.import(), 1000, 'the rest is read again and goes in once');
  db.close();
  await log.close();
  assert.deepEqual(verifyAuditTrail(path, publicKey).problems, []);
});
