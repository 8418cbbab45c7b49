import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  SCOPE, T0, makeAccessKey, makeAlias, makeKey, makeMaterial, nextRevision, type OpenFreshStore, type ReopenStore,
} from './fixtures.js';

/** The store's contract across a restart: everything a resolved write stored is there after reopening. */
export function durabilityContract(open: OpenFreshStore, reopen: ReopenStore): void {
  describe('durability', () => {
    test('every kind of record survives close and reopen', async () => {
      const store = await open();
      const key = makeKey(SCOPE, 'k-1');
      const first = makeMaterial(key, 'k-1-m1');
      const second = makeMaterial(key, 'k-1-m2', { rotationType: 'ON_DEMAND' });
      const rotated = nextRevision(key, { currentMaterialId: 'k-1-m2' });
      const alias = makeAlias(SCOPE, 'alias/app', 'k-1');
      const accessKey = makeAccessKey('AKIADURABLE000000001');
      try {
        await store.keys.create(key, first);
        await store.keys.update(rotated, second);
        await store.aliases.create(alias);
        await store.identities.createAccount({ id: SCOPE.accountId, createdAt: T0 });
        await store.identities.createAccessKey(accessKey);
        await store.settings.put('default-account', SCOPE.accountId);
      } finally {
        await store.close();
      }

      const reopened = await reopen(store);
      try {
        assert.deepEqual(await reopened.keys.get(SCOPE, 'k-1'), rotated);
        assert.deepEqual(await reopened.keys.listMaterials(key.arn), [first, second]);
        assert.deepEqual(await reopened.aliases.get(SCOPE, 'alias/app'), alias);
        assert.deepEqual(await reopened.identities.getAccount(SCOPE.accountId), { id: SCOPE.accountId, createdAt: T0 });
        assert.deepEqual(await reopened.identities.getAccessKey('AKIADURABLE000000001'), accessKey);
        assert.equal(await reopened.settings.get('default-account'), SCOPE.accountId);
        await reopened.keys.update(nextRevision(rotated, { description: 'after restart' }));
      } finally {
        await reopened.close();
      }
    });
  });
}
