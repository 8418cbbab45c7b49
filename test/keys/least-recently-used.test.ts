import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evictLeastRecentlyUsed } from '../../src/keys/least-recently-used.js';

const filled = (count: number): Map<number, string> => new Map(Array.from({ length: count }, (_, i) => [i, `value ${i}`]));

describe('evictLeastRecentlyUsed', () => {
  test('leaves a map at or under its capacity alone', () => {
    const entries = filled(16);
    const dropped: number[] = [];
    evictLeastRecentlyUsed(entries, 16, (key) => dropped.push(key));
    assert.equal(entries.size, 16);
    assert.deepEqual(dropped, []);
  });

  test('over capacity, drops the oldest entries down to seven eighths of it, each told to drop', () => {
    const entries = filled(17);
    const dropped: Array<[number, string]> = [];
    evictLeastRecentlyUsed(entries, 16, (key, value) => dropped.push([key, value]));
    assert.equal(entries.size, 14);
    assert.deepEqual(dropped, [[0, 'value 0'], [1, 'value 1'], [2, 'value 2']]);
    assert.deepEqual([...entries.keys()], Array.from({ length: 14 }, (_, i) => i + 3));
  });

  test('an entry re-inserted on a hit counts as recent', () => {
    const entries = filled(16);
    entries.delete(0);
    entries.set(0, 'value 0'); // a hit: moved to the end
    entries.set(16, 'value 16');
    evictLeastRecentlyUsed(entries, 16);
    assert.ok(entries.has(0));
    assert.ok(!entries.has(1) && !entries.has(2) && !entries.has(3));
  });

  test('a capacity under eight evicts only the excess', () => {
    const entries = filled(3);
    evictLeastRecentlyUsed(entries, 2);
    assert.deepEqual([...entries.keys()], [1, 2]);
  });
});
