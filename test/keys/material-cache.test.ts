import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { DEFAULT_MATERIAL_CACHE_CAPACITY, MaterialCache } from '../../src/keys/material-cache.js';

const isWiped = (secret: SecretBytes): boolean => secret.expose().every((byte) => byte === 0);

/** A load the test settles by hand, to hold several callers inside one load. */
interface DeferredLoad {
  load: () => Promise<SecretBytes>;
  calls: () => number;
  resolve: (secret: SecretBytes) => void;
  reject: (error: Error) => void;
}

function deferredLoad(): DeferredLoad {
  let calls = 0;
  let settle: { resolve: (secret: SecretBytes) => void; reject: (error: Error) => void } | undefined;
  const promise = new Promise<SecretBytes>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return {
    load: () => {
      calls += 1;
      return promise;
    },
    calls: () => calls,
    resolve: (secret) => settle?.resolve(secret),
    reject: (error) => settle?.reject(error),
  };
}

describe('MaterialCache', () => {
  test('default capacity is 10,000; a capacity below 1 or not an integer is refused', () => {
    assert.equal(DEFAULT_MATERIAL_CACHE_CAPACITY, 10_000);
    assert.equal(new MaterialCache().capacity, 10_000);
    for (const capacity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new MaterialCache(capacity), RangeError);
    }
  });

  test('get misses, then returns what set stored', () => {
    const cache = new MaterialCache(4);
    assert.equal(cache.get('m1'), undefined);
    const secret = SecretBytes.random(32);
    cache.set('m1', secret);
    assert.equal(cache.get('m1'), secret);
    assert.equal(cache.size, 1);
  });

  test('beyond capacity the least recently used entry is evicted and wiped', () => {
    const cache = new MaterialCache(2);
    const [a, b, c] = [SecretBytes.random(32), SecretBytes.random(32), SecretBytes.random(32)];
    cache.set('a', a);
    cache.set('b', b);
    assert.equal(cache.get('a'), a, 'a hit makes "a" the most recently used');
    cache.set('c', c);
    assert.equal(cache.get('b'), undefined);
    assert.ok(isWiped(b));
    assert.equal(cache.get('a'), a);
    assert.equal(cache.get('c'), c);
    assert.ok(!isWiped(a) && !isWiped(c));
    assert.equal(cache.size, 2);
  });

  test('replacing an entry wipes the old secret, but not when the same secret is set again', () => {
    const cache = new MaterialCache(2);
    const first = SecretBytes.random(32);
    cache.set('m', first);
    cache.set('m', first);
    assert.ok(!isWiped(first));
    const second = SecretBytes.random(32);
    cache.set('m', second);
    assert.ok(isWiped(first));
    assert.equal(cache.get('m'), second);
    assert.equal(cache.size, 1);
  });

  test('getOrLoad runs one load for concurrent misses and caches its result', async () => {
    const cache = new MaterialCache(4);
    const loader = deferredLoad();
    const waiting = [1, 2, 3].map(() => cache.getOrLoad('m', loader.load));
    const secret = SecretBytes.random(32);
    await Promise.resolve();
    loader.resolve(secret);
    const results = await Promise.all(waiting);
    assert.equal(loader.calls(), 1);
    assert.ok(results.every((result) => result === secret));
    assert.equal(cache.get('m'), secret);
    assert.equal(await cache.getOrLoad('m', () => Promise.reject(new Error('must not load'))), secret);
  });

  test('a failed load reaches every waiter, caches nothing, and the next call loads again', async () => {
    const cache = new MaterialCache(4);
    const loader = deferredLoad();
    const waiting = [cache.getOrLoad('m', loader.load), cache.getOrLoad('m', loader.load)];
    await Promise.resolve();
    loader.reject(new Error('store unavailable'));
    for (const result of waiting) await assert.rejects(result, /store unavailable/);
    assert.equal(cache.get('m'), undefined);
    const secret = SecretBytes.random(32);
    assert.equal(await cache.getOrLoad('m', async () => secret), secret);
  });

  test('a load that throws synchronously becomes a rejection and does not stick', async () => {
    const cache = new MaterialCache(4);
    const throwing = (): Promise<SecretBytes> => {
      throw new Error('synchronous failure');
    };
    await assert.rejects(cache.getOrLoad('m', throwing), /synchronous failure/);
    const secret = SecretBytes.random(32);
    assert.equal(await cache.getOrLoad('m', async () => secret), secret);
  });

  test('a load that finishes after delete is handed to its callers but not cached', async () => {
    const cache = new MaterialCache(4);
    const loader = deferredLoad();
    const waiting = cache.getOrLoad('m', loader.load);
    await Promise.resolve();
    cache.delete('m');
    const secret = SecretBytes.random(32);
    loader.resolve(secret);
    assert.equal(await waiting, secret);
    assert.equal(cache.get('m'), undefined);
  });

  test('a stale load does not unregister or overwrite a newer load for the same id', async () => {
    const cache = new MaterialCache(4);
    const stale = deferredLoad();
    const fresh = deferredLoad();
    const staleResult = cache.getOrLoad('m', stale.load);
    await Promise.resolve();
    cache.clear();
    const freshResult = cache.getOrLoad('m', fresh.load);
    await Promise.resolve();
    stale.resolve(SecretBytes.random(32));
    await staleResult;
    assert.equal(cache.get('m'), undefined);
    const joined = cache.getOrLoad('m', () => Promise.reject(new Error('must join the fresh load')));
    const secret = SecretBytes.random(32);
    fresh.resolve(secret);
    assert.equal(await freshResult, secret);
    assert.equal(await joined, secret);
    assert.equal(cache.get('m'), secret);
  });

  test('delete wipes one entry; clear wipes them all', () => {
    const cache = new MaterialCache(4);
    const [a, b, c] = [SecretBytes.random(32), SecretBytes.random(32), SecretBytes.random(32)];
    cache.set('a', a);
    cache.set('b', b);
    cache.set('c', c);
    cache.delete('a');
    cache.delete('not-cached');
    assert.ok(isWiped(a));
    assert.equal(cache.get('a'), undefined);
    cache.clear();
    assert.ok(isWiped(b) && isWiped(c));
    assert.equal(cache.size, 0);
  });
});
