import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openAuditDatabase } from '../../src/audit/audit-database.js';
import { newEventId } from '../../src/audit/event-id.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { prepareRecordInserter } from '../../src/audit/journal-import.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-event-id-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('an event id is a version 7 UUID: the time in milliseconds, then random bits', () => {
  const at = Date.UTC(2026, 11, 3, 12, 0, 0, 123);
  const ids = Array.from({ length: 2000 }, () => newEventId(at));
  for (const id of ids) assert.match(id, UUID_V7);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(Number.parseInt(ids[0]!.replaceAll('-', '').slice(0, 12), 16), at);
  assert.match(newEventId(), UUID_V7);
});

test('event ids made later sort after earlier ones', () => {
  const ids = Array.from({ length: 100 }, (_, n) => newEventId(1_800_000_000_000 + n));
  assert.deepEqual([...ids].sort(), ids);
});

/**
 * What the id is for (issue 19): LookupEvents' index on the event id. With random ids every record indexed dirtied
 * an index page of its own, so that what a record cost to index grew with the trail. WAL frames are pages written:
 * a count, not a timing.
 */
test('indexing records with these ids writes as many pages per record on a grown trail as on an empty one', () => {
  const framesPerRecord = (eventId: () => string): { empty: number; grown: number } => {
    const db = openAuditDatabase(join(dir, `${randomUUID()}.db`));
    const insert = prepareRecordInserter(db);
    let seq = 0;
    const importRecords = (count: number) => db.transaction(() => {
      for (let n = 0; n < count; n += 1) {
        seq += 1;
        const json = JSON.stringify(apiCallEvent({
          operation: 'Encrypt', readOnly: true, time: Date.now(), region: 'us-east-1', sourceIp: '127.0.0.1',
          userAgent: 'test', requestId: randomUUID(), eventId: eventId(), recipientAccountId: '111122223333',
          identity: { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' },
          keyArns: ['arn:aws:kms:us-east-1:111122223333:key/5f4dcc3b-5aa7-4c5d-8e1f-0a1b2c3d4e5f'],
        }));
        insert('writer-a', { seq, prevHash: Buffer.alloc(32), hash: Buffer.alloc(32), json });
      }
    }).immediate();
    const frames = (count: number): number => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      importRecords(count);
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
      return result!.log / count;
    };
    try {
      const empty = frames(2000);
      importRecords(20_000);
      return { empty, grown: frames(2000) };
    } finally {
      db.close();
    }
  };
  const timeOrdered = framesPerRecord(() => newEventId());
  const random = framesPerRecord(() => randomUUID());
  assert.ok(timeOrdered.grown < timeOrdered.empty * 1.2, `pages per record: ${timeOrdered.empty} empty, ${timeOrdered.grown} grown`);
  assert.ok(random.grown > random.empty * 1.2, `the test's premise (random ids): ${random.empty} empty, ${random.grown} grown`);
});
