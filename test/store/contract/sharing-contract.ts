import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RevisionConflictError } from '../../../src/store/store.js';
import { SCOPE, makeKey, makeMaterial, nextRevision, type OpenFreshStore, type ReopenStore } from './fixtures.js';

/**
 * The store's contract between two stores open on the same storage at once (two server processes on one file,
 * two nodes on one database): each sees the other's writes, and a conflicting update is refused, not lost.
 */
export function sharingContract(open: OpenFreshStore, openAgain: ReopenStore): void {
  describe('sharing the storage', () => {
    test('two stores on the same storage see each other\'s writes and conflicting updates', async () => {
      const first = await open();
      const second = await openAgain(first);
      try {
        const key = makeKey(SCOPE, 'k-1');
        await first.keys.create(key, makeMaterial(key, 'k-1-m1'));
        assert.deepEqual(await second.keys.get(SCOPE, 'k-1'), key);
        const fromSecond = nextRevision(key, { description: 'second' });
        await second.keys.update(fromSecond);
        assert.deepEqual(await first.keys.get(SCOPE, 'k-1'), fromSecond);
        await assert.rejects(first.keys.update(nextRevision(key, { description: 'first' })), RevisionConflictError);
      } finally {
        await first.close();
        await second.close();
      }
    });
  });
}
