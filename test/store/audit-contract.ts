import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import type { CommitInfo, GroupCommit } from '../../src/audit/group-commit.js';
import { lookupEventsPlan } from '../../src/audit/lookup-events.js';
import { keyLastUsagePlan, trackingStartTimePlan } from '../../src/audit/key-last-usage.js';
import { retentionPlan } from '../../src/audit/retention.js';
import { createAuditSigningKey, exportAuditPublicKey } from '../../src/audit/signing-key.js';
import { verifyPlan, type VerificationReport } from '../../src/audit/verify.js';
import type { AuditStore, SqlValue } from '../../src/store/audit-store.js';

/** What a test asks of a writer it opens. */
export interface WriterSettings {
  readonly writerId: string;
  /** Seal a digest every this many records. */
  readonly sealEvery: number;
  readonly onCommit?: (info: CommitInfo) => void;
  /** Wraps the backend's store before the writer uses it (fault injection). */
  readonly wrapStore?: (store: AuditStore) => AuditStore;
}

/** One test's audit storage: empty when made, shared by every writer and reader opened on it. */
export interface AuditStorage {
  /** A writer (a node's process): the trail's group commit over this backend's store, its chain resumed as stored. */
  openWriter(settings: WriterSettings): Promise<GroupCommit>;
  /** Runs reads as another process would, over what is durable now (nothing of the writers' memory). */
  read: AuditStore['run'];
  /** Changes the stored trail behind Strongroom's back (`?` placeholders), as an attacker with the database would. */
  tamper(sql: string, ...values: SqlValue[]): Promise<void>;
  /** Closes what `openWriter` and `read` left open. */
  close(): Promise<void>;
}

/** Makes audit storage no other test has touched (a new directory, a new schema, ...). */
export type OpenFreshAuditStorage = () => Promise<AuditStorage>;

const { privateKey } = createAuditSigningKey();
/** The key every writer of the contract signs with, and the public key verification checks them with. */
export const CONTRACT_SIGNING_KEY = privateKey;
const PUBLIC_KEY = exportAuditPublicKey(privateKey);
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const ACCOUNT = '111122223333';
const KEY_A = `arn:aws:kms:us-east-1:${ACCOUNT}:key/a`;
const KEY_B = `arn:aws:kms:us-east-1:${ACCOUNT}:key/b`;

/** An Encrypt under `keyArn` at day `day`, failed when `errorCode` is given; event id `evt-<name>`. */
function encrypt(name: string, options: { day?: number; keyArn?: string; errorCode?: string } = {}) {
  return apiCallEvent({
    operation: 'Encrypt', readOnly: true, time: T0 + (options.day ?? 0) * DAY, region: 'us-east-1', sourceIp: '127.0.0.1',
    userAgent: 'contract', requestId: `req-${name}`, eventId: `evt-${name}`, recipientAccountId: ACCOUNT,
    identity: { type: 'IAMUser', accountId: ACCOUNT, accessKeyId: 'AKIACONTRACT00000001', userName: 'alice' },
    input: { KeyId: options.keyArn ?? KEY_A }, keyArns: [options.keyArn ?? KEY_A],
    ...(options.errorCode === undefined ? {} : { error: { code: options.errorCode, message: 'no' } }),
  });
}

const eventIds = (page: { events: { EventId: string }[] }) => page.events.map((event) => event.EventId).sort();

function assertVerified(report: VerificationReport): void {
  assert.deepEqual(report.problems.filter((problem) => problem.kind !== 'unsealed-tail'), []);
  assert.equal(report.ok, true);
}

/** Opens storage, runs `body`, closes it whatever happens. */
async function withStorage(open: OpenFreshAuditStorage, body: (storage: AuditStorage) => Promise<void>): Promise<void> {
  const storage = await open();
  try {
    await body(storage);
  } finally {
    await storage.close();
  }
}

/**
 * The audit store contract: what every backend of `AuditStore` (store/audit-store.ts) promises, checked through the
 * trail's own group commit, chains and reads. Run against the embedded backend (journal + audit.db) and PostgreSQL
 * by test/store/storage-backends.test.ts.
 *
 * @example
 *   runAuditStoreContract('SQLite', () => openFreshJournalStorage());
 */
export function runAuditStoreContract(name: string, openFresh: OpenFreshAuditStorage): void {
  describe(`${name} audit store contract`, () => {
    test('an append resolves once durable: another reader sees it at once, before the writer closes', async () => {
      await withStorage(openFresh, async (storage) => {
        const writer = await storage.openWriter({ writerId: 'node-1', sealEvery: 1000 });
        await Promise.all(['1', '2', '3'].map((n) => writer.append(encrypt(n))));
        const page = await storage.read(lookupEventsPlan({ accountId: ACCOUNT }));
        assert.deepEqual(eventIds(page), ['evt-1', 'evt-2', 'evt-3']);
        await writer.close();
      });
    });

    test('group commit: many concurrent appends make few batches, every one durable', async () => {
      await withStorage(openFresh, async (storage) => {
        const commits: CommitInfo[] = [];
        const writer = await storage.openWriter({ writerId: 'node-1', sealEvery: 1000, onCommit: (info) => commits.push(info) });
        await Promise.all(Array.from({ length: 200 }, (_, n) => writer.append(encrypt(String(n)))));
        assert.equal(commits.reduce((sum, commit) => sum + commit.records, 0), 200);
        assert.ok(commits.length <= 4, `${commits.length} batches for 200 appends made in one turn`);
        const page = await storage.read(lookupEventsPlan({ accountId: ACCOUNT, maxResults: 50 }));
        assert.equal(page.events.length, 50);
        assert.ok(page.nextToken !== undefined);
        await writer.close();
      });
    });

    test('two writers (two nodes) share the storage, each with its own chain; reads and verification see both', async () => {
      await withStorage(openFresh, async (storage) => {
        const first = await storage.openWriter({ writerId: 'node-1', sealEvery: 2 });
        const second = await storage.openWriter({ writerId: 'node-2', sealEvery: 2 });
        await Promise.all([
          first.append(encrypt('1a', { day: 1, keyArn: KEY_A })), second.append(encrypt('2a', { day: 2, keyArn: KEY_A })),
        ]);
        await first.append(encrypt('1b', { day: 3, keyArn: KEY_B }));
        await second.append(encrypt('2b', { day: 4, keyArn: KEY_B }));
        await first.append(encrypt('1c', { day: 5, keyArn: KEY_A }));
        const byKeyA = await storage.read(lookupEventsPlan({
          accountId: ACCOUNT, lookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: KEY_A }],
        }));
        assert.deepEqual(byKeyA.events.map((event) => event.EventId), ['evt-1c', 'evt-2a', 'evt-1a'], 'newest first, across writers');
        const byName = await storage.read(lookupEventsPlan({
          accountId: ACCOUNT, lookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }], maxResults: 2,
        }));
        assert.deepEqual(byName.events.map((event) => event.EventId), ['evt-1c', 'evt-2b']);
        await first.close();
        await second.close();
        const report = await storage.read(verifyPlan(PUBLIC_KEY));
        assertVerified(report);
        assert.deepEqual(report.problems, [], 'both sealed on close');
        assert.deepEqual(report.writers.map((w) => [w.writer, w.records, w.sealedThrough]), [['node-1', 3, 3], ['node-2', 2, 2]]);
      });
    });

    test('GetKeyLastUsage: the last successful tracked use of a key by any writer; the trail\'s start', async () => {
      await withStorage(openFresh, async (storage) => {
        assert.equal(await storage.read(trackingStartTimePlan()), undefined);
        const first = await storage.openWriter({ writerId: 'node-1', sealEvery: 1000 });
        const second = await storage.openWriter({ writerId: 'node-2', sealEvery: 1000 });
        await first.append(encrypt('old', { day: 1 }));
        await second.append(encrypt('used', { day: 2 }));
        await first.append(encrypt('denied', { day: 3, errorCode: 'AccessDeniedException' }));
        const usage = await storage.read(keyLastUsagePlan(KEY_A));
        assert.deepEqual(usage, {
          operation: 'Encrypt', timestamp: T0 + 2 * DAY, cloudTrailEventId: 'evt-used', kmsRequestId: 'req-used', region: 'us-east-1',
        });
        assert.equal(await storage.read(keyLastUsagePlan(KEY_B)), undefined);
        assert.equal(await storage.read(trackingStartTimePlan()), T0 + DAY);
        await first.close();
        await second.close();
      });
    });

    describe('verification finds tampering in the stored trail', () => {
      const tampered = async (sql: string, seq: number): Promise<VerificationReport> => {
        let report: VerificationReport | undefined;
        await withStorage(openFresh, async (storage) => {
          const writer = await storage.openWriter({ writerId: 'node-1', sealEvery: 3 });
          for (let n = 1; n <= 6; n += 1) await writer.append(encrypt(String(n), { day: n }));
          await writer.close();
          assertVerified(await storage.read(verifyPlan(PUBLIC_KEY)));
          await storage.tamper(sql, 'node-1', seq);
          report = await storage.read(verifyPlan(PUBLIC_KEY));
        });
        assert.ok(report !== undefined);
        assert.equal(report.ok, false);
        return report;
      };

      test('an edited record is reported as altered', async () => {
        const report = await tampered("UPDATE audit_records SET event_json = replace(event_json, 'req-2', 'req-X') WHERE writer = ? AND seq = ?", 2);
        assert.deepEqual(report.problems.map((p) => [p.seq, p.kind]), [[2, 'altered']]);
      });

      test('a deleted record is reported as removed', async () => {
        const report = await tampered('DELETE FROM audit_records WHERE writer = ? AND seq = ?', 3);
        assert.deepEqual(report.problems.map((p) => [p.seq, p.kind]), [[3, 'removed']]);
      });

      test('an inserted record is reported as inserted', async () => {
        const report = await tampered(
          `INSERT INTO audit_records (writer, seq, prev_hash, hash, event_json, event_time, event_id, event_name, read_only,
             username, access_key_id, event_source, account_id, error_code)
           SELECT writer, seq, prev_hash, hash, replace(event_json, 'req-4', 'req-Y'), event_time, event_id, event_name, read_only,
             username, access_key_id, event_source, account_id, error_code FROM audit_records WHERE writer = ? AND seq = ?`,
          4,
        );
        assert.deepEqual(report.problems.map((p) => [p.seq, p.kind]), [[4, 'inserted']]);
      });
    });

    test('retention removes only whole sealed segments older than the cutoff, and what remains verifies', async () => {
      await withStorage(openFresh, async (storage) => {
        const writer = await storage.openWriter({ writerId: 'node-1', sealEvery: 3 });
        for (let n = 1; n <= 8; n += 1) await writer.append(encrypt(String(n), { day: n }));
        // Records 1..3 and 4..6 are sealed; 7 and 8 are not yet.
        const result = await storage.read(retentionPlan({ olderThan: T0 + 100 * DAY, signingKey: CONTRACT_SIGNING_KEY, now: () => T0 + 200 * DAY }));
        assert.deepEqual(result.removed.map((segment) => [segment.writer, segment.fromSeq, segment.toSeq]), [['node-1', 1, 3], ['node-1', 4, 6]]);
        assert.deepEqual(result.refused, []);
        const left = await storage.read(lookupEventsPlan({ accountId: ACCOUNT }));
        assert.deepEqual(eventIds(left), ['evt-7', 'evt-8']);
        await writer.append(encrypt('9', { day: 9 }));
        await writer.close();
        const again = await storage.read(retentionPlan({ olderThan: T0 + 5 * DAY, signingKey: CONTRACT_SIGNING_KEY, now: () => T0 + 200 * DAY }));
        assert.deepEqual(again.removed, [], 'nothing older than the cutoff is left');
        const report = await storage.read(verifyPlan(PUBLIC_KEY));
        assertVerified(report);
        assert.deepEqual(report.writers.map((w) => [w.writer, w.records, w.sealedThrough]), [['node-1', 3, 9]]);
      });
    });

    test('a failed append is rejected, stores nothing, and leaves the chain verifiable for the appends that follow', async () => {
      await withStorage(openFresh, async (storage) => {
        let failNext = false;
        const writer = await storage.openWriter({
          writerId: 'node-1',
          sealEvery: 2,
          wrapStore: (store) => ({
            ...store,
            append: (batch) => {
              if (!failNext) return store.append(batch);
              failNext = false;
              return Promise.reject(new Error('injected: the storage refused the batch'));
            },
          }),
        });
        await writer.append(encrypt('1', { day: 1 }));
        failNext = true;
        await assert.rejects(writer.append(encrypt('lost', { day: 2 })), { name: 'AuditWriteError' });
        await writer.append(encrypt('3', { day: 3 }));
        await writer.append(encrypt('4', { day: 4 }));
        await writer.close();
        assert.deepEqual(eventIds(await storage.read(lookupEventsPlan({ accountId: ACCOUNT }))), ['evt-1', 'evt-3', 'evt-4']);
        const report = await storage.read(verifyPlan(PUBLIC_KEY));
        assert.deepEqual(report.problems, []);
        assert.deepEqual(report.writers.map((w) => [w.writer, w.records, w.sealedThrough]), [['node-1', 3, 3]]);
      });
    });
  });
}
