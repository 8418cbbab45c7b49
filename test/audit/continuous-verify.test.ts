import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readdirSync, readFileSync, closeSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import Database from 'better-sqlite3';
import { openAuditDatabase } from '../../src/audit/audit-database.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { ChainWatch } from '../../src/audit/chain-watch.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { importAuditJournals } from '../../src/audit/journal-import.js';
import { digestMessage, readDigests } from '../../src/audit/digest.js';
import { createAuditSigningKey, signAuditMessage } from '../../src/audit/signing-key.js';
import { loadOrCreateAuditSigningKey } from '../../src/server/audit/audit-signing-key-store.js';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Only the indexes the test asks for (reads, seals), so that it can edit a journal before it is indexed. */
const AUDIT = { indexWhenIdleMs: 1e9 } as const;

/** The `audit-chain-broken` lines the server logged, parsed. */
function chainBreaks(server: TestServer): Record<string, unknown>[] {
  return server.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['event'] === 'audit-chain-broken');
}

async function readyz(server: TestServer): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const response = await fetch(`${server.endpoint}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
}

/** Indexes every journal now (a read does; it waits for the index and its check). */
async function indexNow(server: TestServer): Promise<void> {
  await server.node.audit!.lookupEvents({ accountId: server.accountId, maxResults: 1 });
}

/** Some audited requests: a key, and `count` Encrypts under it. */
async function traffic(server: TestServer, count: number): Promise<void> {
  const kms = server.kms();
  const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  for (let i = 0; i < count; i += 1) await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
}

/** Rewrites, in place, the first journal line of this server's journal holding `from` (same length as `to`); returns its seq. */
function editJournal(server: TestServer, from: string, to: string): number {
  assert.equal(Buffer.byteLength(from), Buffer.byteLength(to));
  const directory = join(server.dataDir, 'audit-journal');
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    const bytes = readFileSync(path);
    const at = bytes.indexOf(from);
    if (at === -1) continue;
    const fd = openSync(path, 'r+');
    try {
      writeSync(fd, Buffer.from(to), 0, Buffer.byteLength(to), at);
    } finally {
      closeSync(fd);
    }
    const lineStart = bytes.lastIndexOf(0x0a, at) + 1;
    return Number(bytes.toString('utf8', lineStart, bytes.indexOf(0x20, lineStart)));
  }
  throw new Error(`no journal line holds ${from}`);
}

void describe('the trail verified as it is indexed, reported in the log and by /readyz', () => {
  void test('a clean trail stays ready: through indexes, seals and a restart on the same data directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-continuous-'));
    try {
      let server = await startTestServer({ audit: AUDIT, dataDir });
      try {
        await indexNow(server);
        await traffic(server, 3);
        await indexNow(server);
        await server.node.audit!.seal();
        await traffic(server, 2);
        await indexNow(server);
        assert.deepEqual(chainBreaks(server), []);
        assert.deepEqual(await readyz(server), {
          status: 200,
          body: { status: 'ready', checks: { store: 'ok', rootKey: 'ok', auditLog: 'ok', auditChain: 'ok' } },
        });
      } finally {
        await server.stop();
      }
      server = await startTestServer({ audit: AUDIT, dataDir });
      try {
        await traffic(server, 1);
        await indexNow(server);
        assert.deepEqual(chainBreaks(server), []);
        assert.equal((await readyz(server)).status, 200);
      } finally {
        await server.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  void test('a record edited in the journal before it is indexed is reported by the next index', async () => {
    const server = await startTestServer({ audit: AUDIT });
    try {
      await indexNow(server); // the check at start, before the records below exist
      await traffic(server, 2);
      const seq = editJournal(server, '"eventName":"Encrypt"', '"eventName":"Decrypt"');
      assert.equal((await readyz(server)).status, 200, 'not indexed yet, so not yet seen');
      await indexNow(server);
      const breaks = chainBreaks(server);
      assert.equal(breaks.length, 1);
      const [found] = breaks;
      assert.deepEqual(Object.keys(found!).sort(), ['event', 'kind', 'level', 'seq', 'time', 'writer'], 'where and what, nothing of the event');
      assert.equal(found!['kind'], 'altered');
      assert.equal(found!['seq'], seq);
      assert.equal(found!['level'], 'error');
      const ready = await readyz(server);
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body, { status: 'not ready', checks: { store: 'ok', rootKey: 'ok', auditLog: 'ok', auditChain: 'failed' } });
      await server.node.audit!.seal();
      assert.equal(chainBreaks(server).length, 1, 'found again when sealed, reported once');
    } finally {
      await server.stop();
    }
  });

  void test('a row edited in audit.db after it was indexed is reported when the index brings its digest', async () => {
    const server = await startTestServer({ audit: AUDIT });
    try {
      await traffic(server, 3);
      await indexNow(server);
      assert.deepEqual(chainBreaks(server), []);
      const db = new Database(dataDirectoryLayout(server.dataDir).auditDatabase);
      const row = db.prepare(`SELECT writer, seq FROM audit_records WHERE event_name = 'Encrypt' ORDER BY seq LIMIT 1`).get() as { writer: string; seq: number };
      db.prepare(`UPDATE audit_records SET event_json = replace(event_json, '"Encrypt"', '"Decrypt"') WHERE writer = ? AND seq = ?`).run(row.writer, row.seq);
      db.close();
      await server.node.audit!.seal();
      assert.deepEqual(chainBreaks(server).map((line) => [line['writer'], line['seq'], line['kind']]), [[row.writer, row.seq, 'altered']]);
      assert.equal((await readyz(server)).status, 503);
    } finally {
      await server.stop();
    }
  });

  void test('records another writer put in audit.db are checked too: a row edited before this process indexed', async () => {
    const server = await startTestServer({ audit: AUDIT });
    try {
      await indexNow(server);
      // A second writer on the same data directory, signing with the node's own audit key (as another worker does).
      const path = dataDirectoryLayout(server.dataDir).auditDatabase;
      const signingKey = await loadOrCreateAuditSigningKey(server.node.store.settings, server.node.rootKey);
      const other = openAuditLog({ path, signingKey, now: Date.now, writerId: 'other-writer', sealEvery: 4, indexWhenIdleMs: 1e9 });
      for (let n = 1; n <= 6; n += 1) await other.append(event(n));
      await other.close(); // indexed and sealed by its own thread
      const db = new Database(path);
      db.prepare(`UPDATE audit_records SET event_json = replace(event_json, 'alice', 'mallory') WHERE writer = 'other-writer' AND seq = 5`).run();
      db.close();
      await indexNow(server);
      assert.deepEqual(chainBreaks(server).map((line) => [line['writer'], line['seq'], line['kind']]), [['other-writer', 5, 'altered']]);
      assert.equal((await readyz(server)).status, 503);
    } finally {
      await server.stop();
    }
  });
});

void describe('ChainWatch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-chain-watch-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const { privateKey, publicKey } = createAuditSigningKey();
  let files = 0;

  /** A log sealing every 5 records that indexes only when asked, and a watch over its database. */
  function watched() {
    const path = join(dir, `audit-${++files}.db`);
    const log = openAuditLog({ path, signingKey: privateKey, now: () => 0, writerId: 'w', sealEvery: 5, sealIntervalMs: 1e12, indexWhenIdleMs: 1e9 });
    const db = openAuditDatabase(path);
    const watch = new ChainWatch(db, publicKey);
    const append = async (from: number, to: number) => {
      for (let n = from; n <= to; n += 1) await log.append(event(n));
      importAuditJournals(path);
    };
    const found = () => watch.check().map((b) => `${b.writer}:${b.seq}:${b.kind}`);
    const close = async () => {
      db.close();
      await log.close();
    };
    return { path, db, append, found, close };
  }

  void test('checks each batch as it comes, across digests, and finds nothing in a clean trail', async () => {
    const trail = watched();
    try {
      assert.deepEqual(trail.found(), []);
      for (const [from, to] of [[1, 3], [4, 4], [5, 12], [13, 13]] as const) {
        await trail.append(from, to);
        assert.deepEqual(trail.found(), [], `records ${from}..${to}`);
      }
    } finally {
      await trail.close();
    }
  });

  void test('a record inserted into the part already verified, and a removed one, are found', async () => {
    const trail = watched();
    try {
      await trail.append(1, 7);
      assert.deepEqual(trail.found(), []);
      trail.db.prepare(
        `INSERT INTO audit_records (writer, seq, prev_hash, hash, event_json, event_time, event_id, event_name, read_only,
           username, access_key_id, event_source, account_id, error_code)
         SELECT writer, seq, prev_hash, hash, event_json, event_time, event_id, event_name, read_only, username,
           access_key_id, event_source, account_id, error_code FROM audit_records WHERE seq = 2`,
      ).run();
      await trail.append(8, 8);
      assert.deepEqual(trail.found(), ['w:2:inserted']);
      await trail.append(9, 10); // with the digest sealing 6..10: those are read again and checked against it
      trail.db.prepare('DELETE FROM audit_records WHERE seq = 9').run();
      assert.deepEqual(trail.found(), ['w:9:removed']);
    } finally {
      await trail.close();
    }
  });

  void test('a forged digest is found; what was sealed before the first check is left to `audit verify`', async () => {
    const trail = watched();
    try {
      await trail.append(1, 5);
      trail.db.prepare(`UPDATE audit_records SET event_json = replace(event_json, 'alice', 'mallory') WHERE seq = 2`).run();
      assert.deepEqual(trail.found(), [], 'the first check starts at the last digest');
      await trail.append(6, 10);
      const digest = readDigests(trail.db, 'w').find((d) => d.fromSeq === 6)!;
      const forged = signAuditMessage(createAuditSigningKey().privateKey, digestMessage(digest));
      trail.db.prepare('UPDATE audit_digests SET signature = ? WHERE from_seq = 6').run(forged);
      assert.deepEqual(trail.found(), ['w:10:bad-digest']);
    } finally {
      await trail.close();
    }
  });
});

function event(n: number) {
  return apiCallEvent({
    operation: 'Encrypt', readOnly: true, time: 1_700_000_000_000 + n * 1000, region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'test',
    requestId: `req-${n}`, eventId: `evt-${n}`, recipientAccountId: '111122223333',
    identity: { type: 'IAMUser', accountId: '111122223333', userName: 'alice' }, keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
  });
}
