import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openAuditDatabase } from '../../src/audit/audit-database.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { JournalImporter } from '../../src/audit/journal-import.js';
import { createAuditSigningKey } from '../../src/audit/signing-key.js';
import { verifyAuditTrail } from '../../src/audit/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-journal-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const { privateKey, publicKey } = createAuditSigningKey();

const event = (n: number) => apiCallEvent({
  operation: 'Encrypt', time: 1_700_000_000_000 + n, region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'test',
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
