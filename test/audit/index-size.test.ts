import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { openAuditDatabase, WAL_SIZE_LIMIT_BYTES } from '../../src/audit/audit-database.js';
import { openAuditLog, type AuditLogOptions } from '../../src/audit/audit-log.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { keyLastUsage, lookupEvents } from '../../src/audit/lookup-events.js';
import { applyRetention } from '../../src/audit/retention.js';
import { createAuditSigningKey } from '../../src/audit/signing-key.js';
import { verifyAuditTrail } from '../../src/audit/verify.js';

/*
 * Issue #20: the audit index took ~2 KB a record (more than the records), and a large import left its WAL as
 * large as it grew. The index must stay proportionate to what the lookups need, and the WAL must shrink back.
 */
const dir = mkdtempSync(join(tmpdir(), 'strongroom-index-size-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const { privateKey, publicKey } = createAuditSigningKey();
const ACCOUNT = '111122223333';
const KEYS = Array.from({ length: 10 }, (_, n) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/0000000${n}-1111-2222-3333-444455556666`);

/** A typical Encrypt record; `contextPairs` sets its size (2: ~1.1 KB of JSON, 40: ~2.3 KB). */
function encryptEvent(n: number, contextPairs: number) {
  const context = Object.fromEntries(Array.from({ length: contextPairs }, (_, i) => [`key-${i}`, `value-${i}-abcdefghij`]));
  return apiCallEvent({
    operation: 'Encrypt', readOnly: true, time: 1_700_000_000_000 + n * 1000, region: 'us-east-1', sourceIp: '127.0.0.1',
    userAgent: 'aws-sdk-js/3.600.0 ua/2.1 os/linux lang/js md/nodejs#20.11.0 api/kms#3.600.0',
    requestId: `9b6f0f6e-8a51-4c1d-9d1e-${String(n).padStart(12, '0')}`, eventId: `c0a8f7d2-4b3e-4f6a-8e9d-${String(n).padStart(12, '0')}`,
    recipientAccountId: ACCOUNT, keyArns: [KEYS[n % KEYS.length]!],
    identity: { type: 'IAMUser', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accessKeyId: 'AKIAEXAMPLEEXAMPLE12', userName: 'alice' },
    input: { KeyId: KEYS[n % KEYS.length], EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', EncryptionContext: context },
  });
}

function openLog(path: string, extra: Partial<AuditLogOptions> = {}) {
  return openAuditLog({ path, signingKey: privateKey, now: Date.now, writerId: 'writer-a', ...extra });
}

async function appendAll(log: ReturnType<typeof openLog>, count: number, contextPairs: number): Promise<number> {
  let jsonBytes = 0;
  for (let n = 0; n < count; n += 500) {
    await Promise.all(Array.from({ length: Math.min(500, count - n) }, (_, i) => {
      const event = encryptEvent(n + i, contextPairs);
      jsonBytes += Buffer.byteLength(JSON.stringify(event));
      return log.append(event);
    }));
  }
  return jsonBytes;
}

/** Bytes of the database's pages by table or index whose name starts with `prefix` (dbstat). */
function pageBytes(path: string, prefix = ''): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?').pluck().get(`${prefix}%`) as number;
  } finally {
    db.close();
  }
}

void describe('audit index size', () => {
  void test('a record names its key in a few bytes, not in its ARN twice over', async () => {
    const path = join(dir, 'resources.db');
    const log = openLog(path);
    const records = 4000;
    await appendAll(log, records, 2);
    await log.close();
    const perRecord = pageBytes(path, 'audit_resource') / records;
    assert.ok(perRecord < 64, `${perRecord.toFixed(0)} bytes of resource rows and indexes a record (was ~230)`);
  });

  void test('records of 2.3 KB take well under twice their size (pages are not left two-fifths empty)', async () => {
    const path = join(dir, 'large-records.db');
    const log = openLog(path);
    const records = 3000;
    const jsonBytes = await appendAll(log, records, 40);
    await log.close();
    const ratio = statSync(path).size / jsonBytes;
    assert.ok(ratio < 1.5, `the database holds ${ratio.toFixed(2)} bytes per byte of event JSON (was 2.1)`);
  });

  void test('a large import leaves no large WAL behind, while a reader stays connected', async () => {
    const path = join(dir, 'wal.db');
    const reader = openAuditDatabase(path); // as a server's LookupEvents connection: the WAL is not removed at close
    try {
      const log = openLog(path, { indexWhenIdleMs: 1e9, indexBacklog: 1e9 });
      await appendAll(log, 6000, 40); // about 20 MB of index: one transaction, so its pages all pass through the WAL
      await log.index();
      await log.append(encryptEvent(6000, 2));
      await log.index(); // the indexing thread answers in order: the checkpoint after the first index has run
      const walBytes = statSync(`${path}-wal`).size;
      assert.ok(walBytes <= WAL_SIZE_LIMIT_BYTES, `the WAL holds ${(walBytes / 1048576).toFixed(1)} MiB`);
      assert.equal(lookupEvents(reader, { accountId: ACCOUNT, maxResults: 1 }).events.length, 1);
      await log.close();
    } finally {
      reader.close();
    }
  });
});

void describe('audit database layout 1 → 2', () => {
  /** Turns a database into the layout of version 1, as databases written before issue #20 are. */
  function toLayout1(path: string): void {
    const db = new Database(path);
    try {
      db.exec(`
        CREATE TABLE resources_old AS SELECT record_id, resource_type, resource_name, event_time FROM audit_resources;
        DROP VIEW audit_resources;
        DROP TABLE audit_resource_refs;
        DROP TABLE audit_resource_names;
        CREATE TABLE audit_resources (
          record_id INTEGER NOT NULL, resource_type TEXT NOT NULL, resource_name TEXT NOT NULL, event_time INTEGER NOT NULL
        );
        INSERT INTO audit_resources SELECT * FROM resources_old;
        DROP TABLE resources_old;
        CREATE INDEX audit_resources_name ON audit_resources (resource_name, event_time, record_id);
        CREATE INDEX audit_resources_record ON audit_resources (record_id);
        UPDATE audit_meta SET value = '1' WHERE name = 'schema_version';`);
    } finally {
      db.close();
    }
  }

  void test('a database of layout 1 is migrated when opened: every lookup, verification and retention work on it', async () => {
    const path = join(dir, 'layout-1.db');
    const log = openLog(path, { sealEvery: 10 });
    for (let n = 0; n < 40; n += 1) await log.append(encryptEvent(n, 2)); // one by one: a digest every ten
    await log.close();
    toLayout1(path);
    const old = new Database(path, { readonly: true });
    const byKeyBefore = lookupEvents(old, { accountId: ACCOUNT, lookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: KEYS[3]! }] });
    const lastUseBefore = keyLastUsage(old, KEYS[3]!);
    old.close();
    assert.equal(byKeyBefore.events.length, 4);

    const db = openAuditDatabase(path);
    try {
      assert.equal(db.prepare("SELECT value FROM audit_meta WHERE name = 'schema_version'").pluck().get(), '2');
      assert.equal(db.prepare("SELECT type FROM sqlite_schema WHERE name = 'audit_resources'").pluck().get(), 'view');
      assert.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'audit_resources_%' AND type = 'table'").pluck().get(), 0);
      assert.deepEqual(lookupEvents(db, { accountId: ACCOUNT, lookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: KEYS[3]! }] }), byKeyBefore);
      assert.deepEqual(keyLastUsage(db, KEYS[3]!), lastUseBefore);
      assert.equal(lookupEvents(db, { accountId: ACCOUNT, lookupAttributes: [{ AttributeKey: 'ResourceType', AttributeValue: 'AWS::KMS::Key' }] }).events.length, 40);
      assert.deepEqual(verifyAuditTrail(db, publicKey).problems, []);
      applyRetention(db, { olderThan: 1_700_000_000_000 + 25_000, signingKey: privateKey, now: Date.now });
      assert.equal(db.prepare('SELECT count(*) FROM audit_records').pluck().get(), 20, 'two sealed segments of ten went');
      assert.equal(db.prepare('SELECT count(*) FROM audit_resources').pluck().get(), db.prepare('SELECT count(*) FROM audit_records').pluck().get());
      assert.deepEqual(verifyAuditTrail(db, publicKey).problems, []);
    } finally {
      db.close();
    }
    const reopened = openLog(path);
    await reopened.append(encryptEvent(100, 2));
    await reopened.close();
    assert.deepEqual(verifyAuditTrail(path, publicKey).problems, []);
  });
});
