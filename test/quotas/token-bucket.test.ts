import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBucket } from '../../src/service/quotas/token-bucket.js';

test('a new bucket holds one second of requests, then refills at its rate', () => {
  const bucket = new TokenBucket(5, 0);
  assert.equal(bucket.take(10, 0), 5, 'a burst of one second');
  assert.equal(bucket.take(1, 0), 0, 'then nothing');
  assert.equal(bucket.take(1, 199), 0, 'less than one token after 199 ms at 5/s');
  assert.equal(bucket.take(1, 200), 1, 'one token each 200 ms');
  assert.equal(bucket.take(10, 10_000), 5, 'never more than its capacity, however long it waited');
});

test('a quota under one a second allows one request in each 1/rate seconds', () => {
  const bucket = new TokenBucket(0.1, 0);
  assert.equal(bucket.capacity, 1);
  assert.equal(bucket.take(1, 0), 1);
  assert.equal(bucket.take(1, 9_999), 0);
  assert.equal(bucket.take(1, 10_000), 1, 'exactly 10 s later (no rounding loss)');
});

test('refills add up across many small steps without losing a token to rounding', () => {
  const bucket = new TokenBucket(3, 0);
  bucket.take(3, 0);
  let taken = 0;
  for (let now = 1; now <= 1000; now += 1) taken += bucket.take(1, now);
  assert.equal(taken, 3);
});

test('a quota of 0 allows nothing', () => {
  const bucket = new TokenBucket(0, 0);
  assert.equal(bucket.take(1, 0), 0);
  assert.equal(bucket.take(1, 1_000_000), 0);
  assert.equal(bucket.isFull(0), true, 'and is always full: forgetting it changes nothing');
});

test('isFull says when a bucket is as good as new', () => {
  const bucket = new TokenBucket(2, 0);
  assert.equal(bucket.isFull(0), true);
  bucket.take(1, 0);
  assert.equal(bucket.isFull(0), false);
  assert.equal(bucket.isFull(500), true);
});

test('a clock that steps back neither fills nor drains the bucket', () => {
  const bucket = new TokenBucket(10, 1000);
  bucket.take(10, 1000);
  assert.equal(bucket.take(1, 0), 0);
  assert.equal(bucket.take(1, 1100), 1);
});

test('a rate that is not a finite number of 0 or more is refused', () => {
  for (const rate of [-1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => new TokenBucket(rate, 0), RangeError);
});
