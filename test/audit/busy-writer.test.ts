import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { openAuditDatabase } from '../../src/audit/audit-database.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { createAuditSigningKey } from '../../src/audit/signing-key.js';
import { verifyAuditTrail } from '../../src/audit/verify.js';

test('a batch that meets another process holding the write lock is retried on a later turn, not failed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-audit-busy-'));
  try {
    const path = join(dir, 'audit.db');
    openAuditDatabase(path).close();
    const { privateKey, publicKey } = createAuditSigningKey();
    const log = openAuditLog({ path, signingKey: privateKey, now: Date.now, writerId: 'writer-busy' });
    // Another connection (as another process would) takes the write lock and keeps it for a while.
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const event = apiCallEvent({
      operation: 'Encrypt', time: Date.now(), region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'test',
      requestId: 'req-1', eventId: 'evt-1', recipientAccountId: '111122223333',
      identity: { type: 'Root', accountId: '111122223333', accessKeyId: 'AKIA1' },
      input: { KeyId: 'k' }, keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
    });
    let settled = false;
    const appended = log.append(event).finally(() => (settled = true));
    // The event loop stays free while the lock is held: turns go by and the append is still pending.
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'the append waits for the lock');
    other.exec('COMMIT');
    other.close();
    await appended;
    await log.close();
    const report = verifyAuditTrail(path, publicKey);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
