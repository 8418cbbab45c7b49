import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { ThrottlingException } from '../../src/errors.js';
import { LEASE_ANSWER_TIMEOUT_MS, LEASE_LIFETIME_MS, LeasedRequestQuotas } from '../../src/service/quotas/leased-request-quotas.js';
import { QuotaBuckets } from '../../src/service/quotas/quota-buckets.js';
import { answerLeaseRequest, isLeaseRequest, leaseSize, MAX_LEASE, type LeaseRequest } from '../../src/service/quotas/quota-lease.js';
import { quotaTable, type QuotaTable } from '../../src/service/quotas/quota-table.js';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

/**
 * A primary and its workers joined by fake IPC channels: messages are copied (as node:cluster serialises them)
 * and delivered in a later macrotask, in order, as over a real channel.
 */
function fakeCluster(table: QuotaTable, options: { answering?: () => boolean } = {}) {
  const clock = { now: 0 };
  const buckets = new QuotaBuckets(table, () => clock.now);
  const sent: LeaseRequest[] = [];
  const worker = () => {
    const quotas: LeasedRequestQuotas = new LeasedRequestQuotas(table, (request) => {
      sent.push(request);
      const copy: unknown = structuredClone(request);
      setImmediate(() => {
        if ((options.answering?.() ?? true) && isLeaseRequest(copy)) quotas.receive(structuredClone(answerLeaseRequest(buckets, copy)));
      });
    }, () => clock.now);
    return quotas;
  };
  return { clock, sent, worker };
}

/** Takes one request's quota, as the pipeline does: awaiting only a promise. */
async function take(quotas: LeasedRequestQuotas, operation: string, keySpec?: 'SYMMETRIC_DEFAULT'): Promise<'ok' | 'throttled'> {
  try {
    const waiting = quotas.take(ACCOUNT, REGION, operation, keySpec);
    if (waiting) await waiting;
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof ThrottlingException, String(error));
    return 'throttled';
  }
}

const symmetric = (perSecond: number) => quotaTable(new Map([['Cryptographic operations (symmetric) request rate', perSecond]]));

test('the hot path is a local decrement: one IPC round trip per lease, asked for ahead of need', async () => {
  const { sent, worker } = fakeCluster(symmetric(10_000));
  const quotas = worker();
  assert.equal(leaseSize(10_000), 200);
  const first = quotas.take(ACCOUNT, REGION, 'Encrypt', 'SYMMETRIC_DEFAULT');
  assert.ok(first instanceof Promise, 'an empty lease asks the primary');
  await first;
  for (let n = 1; n < 200; n += 1) {
    assert.equal(quotas.take(ACCOUNT, REGION, 'Encrypt', 'SYMMETRIC_DEFAULT'), undefined, `request ${n} answered from the lease`);
  }
  assert.deepEqual(sent.map((request) => request.wanted), [200, 200], 'the next lease was asked for when a quarter was left');
  await new Promise((resolve) => setImmediate(resolve));
  for (let n = 0; n < 200; n += 1) {
    assert.equal(quotas.take(ACCOUNT, REGION, 'Encrypt', 'SYMMETRIC_DEFAULT'), undefined, `request ${200 + n} did not wait`);
  }
  assert.equal(sent.length, 3);
  assert.equal(quotas.take(ACCOUNT, REGION, 'NoSuchOperation'), undefined, 'what no quota covers never asks');
});

test('workers together never exceed the node\'s quota, and with the clock standing still they use all of it', async () => {
  const { worker } = fakeCluster(symmetric(1000));
  const workers = [worker(), worker(), worker()];
  let ok = 0;
  const throttledOnce = new Set<number>();
  for (let n = 0; throttledOnce.size < workers.length; n += 1) {
    const index = n % workers.length;
    if ((await take(workers[index]!, 'Encrypt', 'SYMMETRIC_DEFAULT')) === 'ok') ok += 1;
    else throttledOnce.add(index);
  }
  assert.equal(ok, 1000);
});

test('a low quota is leased one request at a time, so it is exact across workers', async () => {
  const { clock, sent, worker } = fakeCluster(quotaTable(new Map([['CreateKey request rate', 2]])));
  const [a, b] = [worker(), worker()];
  assert.equal(await take(a, 'CreateKey'), 'ok');
  assert.equal(await take(b, 'CreateKey'), 'ok');
  assert.equal(await take(a, 'CreateKey'), 'throttled');
  assert.equal(await take(b, 'CreateKey'), 'throttled');
  assert.deepEqual(sent.map((request) => request.wanted), [1, 1, 1, 1]);
  clock.now += 500;
  assert.equal(await take(b, 'CreateKey'), 'ok', 'the bucket refills at 2/s');
  assert.equal(await take(a, 'CreateKey'), 'throttled');
});

test('requests that wait together share one answer; what the primary could not grant is throttled', async () => {
  const { sent, worker } = fakeCluster(quotaTable(new Map([['CreateKey request rate', 5]])));
  const quotas = worker();
  const results = await Promise.all(Array.from({ length: 7 }, () => take(quotas, 'CreateKey')));
  assert.deepEqual(results, ['ok', 'ok', 'ok', 'ok', 'ok', 'throttled', 'throttled']);
  assert.deepEqual(sent.map((request) => request.wanted), [1, 6], 'the first asked alone; the six that came meanwhile together');
});

test('a lease not used within its lifetime is dropped', async () => {
  const { clock, sent, worker } = fakeCluster(symmetric(10_000));
  const quotas = worker();
  assert.equal(await take(quotas, 'Encrypt', 'SYMMETRIC_DEFAULT'), 'ok');
  clock.now += LEASE_LIFETIME_MS;
  assert.ok(quotas.take(ACCOUNT, REGION, 'Encrypt', 'SYMMETRIC_DEFAULT') instanceof Promise, 'the expired lease is not used');
  assert.equal(sent.length, 2);
});

test('a quota of 0 throttles every request', async () => {
  const { worker } = fakeCluster(symmetric(0));
  assert.equal(await take(worker(), 'Encrypt', 'SYMMETRIC_DEFAULT'), 'throttled');
});

test('a primary that does not answer in time throttles the waiting requests', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { worker } = fakeCluster(symmetric(10_000), { answering: () => false });
    const quotas = worker();
    const waiting = take(quotas, 'Encrypt', 'SYMMETRIC_DEFAULT');
    mock.timers.tick(LEASE_ANSWER_TIMEOUT_MS);
    assert.equal(await waiting, 'throttled');
  } finally {
    mock.timers.reset();
  }
});

test('a closed channel fails the waiting requests with its error; a send that throws, likewise', async () => {
  const { worker } = fakeCluster(symmetric(10_000), { answering: () => false });
  const quotas = worker();
  const waiting = quotas.take(ACCOUNT, REGION, 'Encrypt', 'SYMMETRIC_DEFAULT');
  quotas.close(new Error('the primary process is gone'));
  await assert.rejects(waiting!, /the primary process is gone/);
  const broken = new LeasedRequestQuotas(symmetric(10_000), () => {
    throw new Error('channel closed');
  }, () => 0);
  await assert.rejects(broken.take(ACCOUNT, REGION, 'Encrypt', 'SYMMETRIC_DEFAULT')!, /channel closed/);
});

test('messages that are not the lease protocol\'s are ignored or refused', () => {
  const quotas = fakeCluster(symmetric(10)).worker();
  quotas.receive({ type: 'listening', port: 1 });
  quotas.receive({ type: 'quota-grant', id: 99, granted: 5 });
  quotas.receive(null);
  const request = { type: 'quota-lease', id: 1, accountId: ACCOUNT, region: REGION, quotaName: 'CreateKey request rate', wanted: 1 };
  assert.equal(isLeaseRequest(request), true);
  assert.equal(isLeaseRequest({ ...request, wanted: 0 }), false);
  assert.equal(isLeaseRequest({ ...request, wanted: MAX_LEASE + 1 }), false);
  assert.equal(isLeaseRequest({ ...request, accountId: 1 }), false);
  assert.equal(isLeaseRequest('quota-lease'), false);
});
