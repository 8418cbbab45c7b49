import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openAuditDatabase, type AuditDatabase } from '../../src/audit/audit-database.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import type { UserIdentity } from '../../src/audit/event.js';
import {
  InvalidLookupAttributesException, InvalidMaxResultsException, InvalidNextTokenException, InvalidTimeRangeException,
} from '../../src/errors.js';
import { keyLastUsage, lookupEvents, type LookupAttribute } from '../../src/audit/lookup-events.js';
import { createAuditSigningKey } from '../../src/audit/signing-key.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-audit-lookup-'));
const T0 = Date.UTC(2025, 0, 1);
const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const KEY_A = `arn:aws:kms:us-east-1:${ACCOUNT}:key/a`;
const KEY_B = `arn:aws:kms:us-east-1:${ACCOUNT}:key/b`;
const alice: UserIdentity = { type: 'IAMUser', accountId: ACCOUNT, accessKeyId: 'AKIAALICE', userName: 'alice' };
const role: UserIdentity = { type: 'AssumedRole', accountId: ACCOUNT, accessKeyId: 'ASIAROLE', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/session-7` };
let db: AuditDatabase;

/** Ten events a minute apart in ACCOUNT (n = 0..9) and two in OTHER. */
const EVENTS = [
  ...Array.from({ length: 10 }, (_, n) => ({
    operation: ['Encrypt', 'Decrypt', 'CreateKey', 'GenerateDataKey', 'ReEncrypt'][n % 5] ?? 'Encrypt',
    identity: n % 3 === 0 ? role : alice, n, account: ACCOUNT,
    keyArns: n % 5 === 4 ? [KEY_A, KEY_B] : [n % 2 === 0 ? KEY_A : KEY_B],
    error: n === 8 ? { code: 'AccessDeniedException', message: 'denied' } : undefined,
  })),
  { operation: 'Encrypt', identity: alice, n: 10, account: OTHER, keyArns: [`arn:aws:kms:us-east-1:${OTHER}:key/c`], error: undefined },
  { operation: 'Encrypt', identity: alice, n: 11, account: OTHER, keyArns: [`arn:aws:kms:us-east-1:${OTHER}:key/c`], error: undefined },
];

before(async () => {
  const path = join(dir, 'audit.db');
  const { privateKey } = createAuditSigningKey();
  const log = openAuditLog({ path, signingKey: privateKey, now: () => T0, writerId: 'w' });
  for (const e of EVENTS) {
    await log.append(apiCallEvent({
      operation: e.operation, readOnly: e.operation !== 'CreateKey', identity: e.identity, time: T0 + e.n * 60_000, region: 'us-east-1', sourceIp: '127.0.0.1',
      userAgent: 'test', requestId: `req-${e.n}`, eventId: `evt-${e.n}`, recipientAccountId: e.account, keyArns: e.keyArns,
      ...(e.error === undefined ? {} : { error: e.error }),
    }));
  }
  await log.close();
  db = openAuditDatabase(path, { readonly: true });
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (attribute?: LookupAttribute, extra: { startTime?: Date; endTime?: Date } = {}) =>
  lookupEvents(db, { accountId: ACCOUNT, ...(attribute === undefined ? {} : { lookupAttributes: [attribute] }), ...extra })
    .events.map((event) => event.EventId);
const attr = (AttributeKey: string, AttributeValue: string): LookupAttribute => ({ AttributeKey, AttributeValue });

void describe('lookupEvents', () => {
  void test('returns the account\'s events newest first, in CloudTrail\'s Event shape', () => {
    const { events, nextToken } = lookupEvents(db, { accountId: ACCOUNT });
    assert.deepEqual(events.map((e) => e.EventId), ['evt-9', 'evt-8', 'evt-7', 'evt-6', 'evt-5', 'evt-4', 'evt-3', 'evt-2', 'evt-1', 'evt-0']);
    assert.equal(nextToken, undefined);
    const first = events[9];
    assert.deepEqual({ ...first, CloudTrailEvent: undefined }, {
      EventId: 'evt-0', EventName: 'Encrypt', ReadOnly: 'true', AccessKeyId: 'ASIAROLE', EventTime: T0 / 1000,
      EventSource: 'kms.amazonaws.com', Username: 'session-7', Resources: [{ ResourceType: 'AWS::KMS::Key', ResourceName: KEY_A }],
      CloudTrailEvent: undefined,
    });
    assert.equal((JSON.parse(first?.CloudTrailEvent ?? '{}') as { eventID: string }).eventID, 'evt-0');
  });

  void test('filters by each lookup attribute', () => {
    assert.deepEqual(ids(attr('EventId', 'evt-3')), ['evt-3']);
    assert.deepEqual(ids(attr('EventName', 'CreateKey')), ['evt-7', 'evt-2']);
    assert.deepEqual(ids(attr('ReadOnly', 'false')), ['evt-7', 'evt-2']);
    assert.deepEqual(ids(attr('Username', 'session-7')), ['evt-9', 'evt-6', 'evt-3', 'evt-0']);
    assert.deepEqual(ids(attr('AccessKeyId', 'AKIAALICE')), ['evt-8', 'evt-7', 'evt-5', 'evt-4', 'evt-2', 'evt-1']);
    assert.deepEqual(ids(attr('EventSource', 'kms.amazonaws.com')).length, 10);
    assert.deepEqual(ids(attr('ResourceName', KEY_B)), ['evt-9', 'evt-7', 'evt-5', 'evt-4', 'evt-3', 'evt-1']);
    assert.deepEqual(ids(attr('ResourceType', 'AWS::KMS::Key')).length, 10);
  });

  void test('filters by time range (inclusive)', () => {
    assert.deepEqual(ids(undefined, { startTime: new Date(T0 + 2 * 60_000), endTime: new Date(T0 + 4 * 60_000) }), ['evt-4', 'evt-3', 'evt-2']);
  });

  void test('pages with NextToken', () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = lookupEvents(db, { accountId: ACCOUNT, maxResults: 3, ...(nextToken === undefined ? {} : { nextToken }) });
      seen.push(...page.events.map((e) => e.EventId));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken !== undefined);
    assert.equal(pages, 4);
    assert.deepEqual(seen, ids());
  });

  void test('a token is refused with other parameters, or when malformed', () => {
    const { nextToken } = lookupEvents(db, { accountId: ACCOUNT, maxResults: 2 });
    assert.ok(nextToken !== undefined);
    assert.throws(() => lookupEvents(db, { accountId: OTHER, nextToken }), InvalidNextTokenException);
    assert.throws(() => lookupEvents(db, { accountId: ACCOUNT, nextToken: 'garbage' }), InvalidNextTokenException);
  });

  void test('is scoped to the caller\'s account', () => {
    assert.deepEqual(lookupEvents(db, { accountId: OTHER }).events.map((e) => e.EventId), ['evt-11', 'evt-10']);
    assert.deepEqual(ids(attr('EventId', 'evt-10')), []);
    assert.deepEqual(lookupEvents(db, { accountId: '999999999999' }).events, []);
  });

  void test('rejects invalid requests with CloudTrail\'s errors', () => {
    assert.throws(() => lookupEvents(db, { accountId: ACCOUNT, lookupAttributes: [attr('EventName', 'a'), attr('EventId', 'b')] }), InvalidLookupAttributesException);
    assert.throws(() => lookupEvents(db, { accountId: ACCOUNT, lookupAttributes: [attr('Color', 'red')] }), InvalidLookupAttributesException);
    assert.throws(() => lookupEvents(db, { accountId: ACCOUNT, startTime: new Date(T0 + 1), endTime: new Date(T0) }), InvalidTimeRangeException);
    assert.throws(() => lookupEvents(db, { accountId: ACCOUNT, maxResults: 51 }), InvalidMaxResultsException);
    assert.throws(() => lookupEvents(db, { accountId: ACCOUNT, maxResults: 0 }), InvalidMaxResultsException);
  });
});

void describe('keyLastUsage', () => {
  void test('is the last successful cryptographic use of the key', () => {
    // evt-9 (ReEncrypt, A and B) is the newest successful use of both keys; evt-8 was denied.
    assert.deepEqual(keyLastUsage(db, KEY_A), { operation: 'ReEncrypt', timestamp: T0 + 9 * 60_000, cloudTrailEventId: 'evt-9', kmsRequestId: 'req-9', region: 'us-east-1' });
    assert.equal(keyLastUsage(db, 'arn:aws:kms:us-east-1:111122223333:key/unused'), undefined);
  });

  void test('skips management operations and failures', async () => {
    const path = join(dir, 'last-usage.db');
    const { privateKey } = createAuditSigningKey();
    const log = openAuditLog({ path, signingKey: privateKey, now: () => T0, writerId: 'w' });
    const steps = [
      { operation: 'Encrypt' }, { operation: 'Decrypt', error: { code: 'InvalidCiphertextException', message: 'x' } },
      { operation: 'Encrypt', error: { code: 'DryRunOperationException', message: 'dry run' } }, { operation: 'DisableKey' },
    ];
    for (const [n, step] of steps.entries()) {
      await log.append(apiCallEvent({
        ...step, readOnly: step.operation !== 'DisableKey', identity: alice, time: T0 + n * 1000, region: 'eu-west-1', sourceIp: '127.0.0.1', userAgent: 'test',
        requestId: `r${n}`, eventId: `e${n}`, recipientAccountId: ACCOUNT, keyArns: [KEY_A],
      }));
    }
    await log.close();
    const usageDb = openAuditDatabase(path, { readonly: true });
    assert.deepEqual(keyLastUsage(usageDb, KEY_A), { operation: 'Encrypt', timestamp: T0, cloudTrailEventId: 'e0', kmsRequestId: 'r0', region: 'eu-west-1' });
    usageDb.close();
  });
});
