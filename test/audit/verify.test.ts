import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { importAuditJournals } from '../../src/audit/journal-import.js';
import { digestMessage, readDigests } from '../../src/audit/digest.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { recordHash } from '../../src/audit/record-hash.js';
import { createAuditSigningKey, exportAuditPublicKey, signAuditMessage } from '../../src/audit/signing-key.js';
import { verifyAuditTrail, type VerificationReport } from '../../src/audit/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-audit-verify-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;
const { privateKey, publicKey } = createAuditSigningKey();
const publicKeyPem = exportAuditPublicKey(publicKey);

function event(n: number, writer = 'w') {
  return apiCallEvent({
    operation: n % 2 === 0 ? 'Encrypt' : 'Decrypt', readOnly: true, time: 1_700_000_000_000 + n * 1000, region: 'us-east-1',
    sourceIp: '127.0.0.1', userAgent: 'test', requestId: `req-${writer}-${n}`, eventId: `evt-${writer}-${n}`,
    recipientAccountId: '111122223333', identity: { type: 'IAMUser', accountId: '111122223333', userName: 'alice' },
    keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
  });
}

/** A trail of `count` records sealed every 5 (closed: fully sealed) or left with an unsealed tail. */
async function trail(count: number, options: { close?: boolean } = {}): Promise<string> {
  const path = join(dir, `audit-${++fileCounter}.db`);
  // Left open, it must not index in the background either: this trail is read as the journal left it.
  const log = openAuditLog({ path, signingKey: privateKey, now: () => 0, writerId: 'w', sealEvery: 5, sealIntervalMs: 1e12, indexWhenIdleMs: 1e9 });
  for (let n = 1; n <= count; n += 1) await log.append(event(n));
  if (options.close !== false) await log.close();
  else importAuditJournals(path); // as a reader does: the open log has not indexed its journal yet
  return path;
}

function tamper(path: string, edit: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    edit(db);
  } finally {
    db.close();
  }
}

const findings = (report: VerificationReport) => report.problems.map((p) => `${p.writer}:${p.seq}:${p.kind}`);

void describe('audit trail verification', () => {
  void test('an untouched trail verifies', async () => {
    const report = verifyAuditTrail(await trail(12), publicKeyPem);
    assert.equal(report.ok, true);
    assert.deepEqual(report.problems, []);
    assert.deepEqual(report.writers, [{ writer: 'w', records: 12, sealedThrough: 12 }]);
  });

  void test('an edited record is reported as altered, and only it', async () => {
    const path = await trail(12);
    tamper(path, (db) => db.prepare(`UPDATE audit_records SET event_json = replace(event_json, 'alice', 'mallory') WHERE seq = 3`).run());
    const report = verifyAuditTrail(path, publicKeyPem);
    assert.equal(report.ok, false);
    assert.deepEqual(findings(report), ['w:3:altered']);
  });

  void test('an edited record whose hash was recomputed is still reported as altered', async () => {
    const path = await trail(12);
    tamper(path, (db) => {
      const row = db.prepare('SELECT prev_hash, event_json FROM audit_records WHERE seq = 8').get() as { prev_hash: Buffer; event_json: string };
      const forged = row.event_json.replace('alice', 'mallory');
      db.prepare('UPDATE audit_records SET event_json = ?, hash = ? WHERE seq = 8').run(forged, recordHash(row.prev_hash, 'w', 8, forged));
    });
    assert.deepEqual(findings(verifyAuditTrail(path, publicKeyPem)), ['w:8:altered']);
  });

  void test('an edited lookup column is reported as altered', async () => {
    const path = await trail(6);
    tamper(path, (db) => db.prepare(`UPDATE audit_records SET username = 'bob' WHERE seq = 2`).run());
    assert.deepEqual(findings(verifyAuditTrail(path, publicKeyPem)), ['w:2:altered']);
  });

  void test('a deleted record is reported as removed', async () => {
    const path = await trail(12);
    tamper(path, (db) => db.prepare('DELETE FROM audit_records WHERE seq = 7').run());
    assert.deepEqual(findings(verifyAuditTrail(path, publicKeyPem)), ['w:7:removed']);
  });

  void test('an inserted record is reported as inserted', async () => {
    const path = await trail(12);
    tamper(path, (db) => {
      const row = db.prepare('SELECT * FROM audit_records WHERE seq = 4').get() as Record<string, unknown>;
      const forged = String(row['event_json']).replace('alice', 'mallory');
      db.prepare(
        `INSERT INTO audit_records (writer, seq, prev_hash, hash, event_json, event_time, event_id, event_name, read_only,
           username, access_key_id, event_source, account_id, error_code) SELECT writer, seq, prev_hash, ?, ?, event_time,
           'evt-forged', event_name, read_only, 'mallory', access_key_id, event_source, account_id, error_code
         FROM audit_records WHERE seq = 4`,
      ).run(recordHash(row['prev_hash'] as Buffer, 'w', 4, forged), forged);
    });
    assert.deepEqual(findings(verifyAuditTrail(path, publicKeyPem)), ['w:4:inserted']);
  });

  void test('reordered records are reported as reordered', async () => {
    const path = await trail(12);
    tamper(path, (db) => {
      db.prepare('UPDATE audit_records SET seq = -1 WHERE seq = 8').run();
      db.prepare('UPDATE audit_records SET seq = 8 WHERE seq = 9').run();
      db.prepare('UPDATE audit_records SET seq = 9 WHERE seq = -1').run();
    });
    assert.deepEqual(findings(verifyAuditTrail(path, publicKeyPem)), ['w:8:reordered', 'w:9:reordered']);
  });

  void test('events swapped between records are reported as reordered', async () => {
    const path = await trail(12);
    tamper(path, (db) => {
      const a = db.prepare('SELECT event_json FROM audit_records WHERE seq = 2').get() as { event_json: string };
      const b = db.prepare('SELECT event_json FROM audit_records WHERE seq = 3').get() as { event_json: string };
      db.prepare('UPDATE audit_records SET event_json = ? WHERE seq = 2').run(b.event_json);
      db.prepare('UPDATE audit_records SET event_json = ? WHERE seq = 3').run(a.event_json);
    });
    assert.deepEqual(findings(verifyAuditTrail(path, publicKeyPem)), ['w:2:reordered', 'w:3:reordered']);
  });

  void test('a forged digest is reported as bad-digest', async () => {
    const path = await trail(12);
    const forger = createAuditSigningKey();
    tamper(path, (db) => {
      const digest = readDigests(db, 'w')[1];
      assert.ok(digest !== undefined);
      const signature = signAuditMessage(forger.privateKey, digestMessage(digest));
      db.prepare('UPDATE audit_digests SET signature = ? WHERE writer = ? AND from_seq = ?').run(signature, 'w', digest.fromSeq);
    });
    assert.deepEqual(findings(verifyAuditTrail(path, publicKeyPem)), ['w:10:bad-digest']);
  });

  void test('a removed digest is reported', async () => {
    const path = await trail(12);
    tamper(path, (db) => db.prepare('DELETE FROM audit_digests WHERE from_seq = 6').run());
    assert.deepEqual(findings(verifyAuditTrail(path, publicKeyPem)), ['w:6:bad-digest']);
  });

  void test('an unsealed tail is reported but does not fail verification; tampering in it is found', async () => {
    const path = await trail(8, { close: false });
    const clean = verifyAuditTrail(path, publicKeyPem);
    assert.equal(clean.ok, true);
    assert.deepEqual(findings(clean), ['w:6:unsealed-tail']);
    tamper(path, (db) => db.prepare('DELETE FROM audit_records WHERE seq = 7').run());
    assert.deepEqual(findings(verifyAuditTrail(path, publicKeyPem)), ['w:7:removed', 'w:6:unsealed-tail']);
  });

  void test('two writers appending to one file both verify', async () => {
    const path = join(dir, 'two-writers.db');
    const logs = ['host-1-100', 'host-2-200'].map((writerId) =>
      openAuditLog({ path, signingKey: privateKey, now: () => 0, writerId, sealEvery: 4 }));
    await Promise.all(Array.from({ length: 30 }, (_, n) => logs[n % 2]?.append(event(n, `x${n % 2}`))));
    await Promise.all(logs.map((log) => log.close()));
    const report = verifyAuditTrail(path, publicKeyPem);
    assert.deepEqual(report.problems, []);
    assert.deepEqual(report.writers.map((w) => [w.writer, w.records, w.sealedThrough]), [['host-1-100', 15, 15], ['host-2-200', 15, 15]]);
    tamper(path, (db) => db.prepare(`DELETE FROM audit_records WHERE writer = 'host-2-200' AND seq = 5`).run());
    assert.deepEqual(findings(verifyAuditTrail(path, publicKeyPem)), ['host-2-200:5:removed']);
  });
});
