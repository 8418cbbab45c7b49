import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KmsKey } from '../../../src/keys/key.js';
import { RevisionConflictError } from '../../../src/store/store.js';
import {
  OTHER_ACCOUNT, OTHER_REGION, SCOPE, daysAfterT0, makeKey, makeMaterial, nextRevision, withFreshStore,
  type OpenFreshStore,
} from './fixtures.js';

const MRK = 'mrk-0123456789abcdef0123456789abcdef';

/**
 * The key repository's contract for multi-Region keys and imported material: related keys found across regions,
 * several keys written in one transaction, material removed for good, expiring material due.
 */
export function relatedKeysContract(open: OpenFreshStore): void {
  describe('related keys and imported material', () => {
    test('listRelated finds the keys of one account with one id in every region, ordered by region', async () => {
      await withFreshStore(open, async (store) => {
        const primary = makeKey(SCOPE, MRK, { multiRegion: true, primaryRegion: SCOPE.region });
        const replica = makeKey(OTHER_REGION, MRK, { multiRegion: true, primaryRegion: SCOPE.region });
        await store.keys.create(primary, makeMaterial(primary, 'm1'));
        await store.keys.create(replica, makeMaterial(replica, 'm1'));
        await store.keys.create(makeKey(OTHER_ACCOUNT, MRK), makeMaterial(makeKey(OTHER_ACCOUNT, MRK), 'm1'));
        const related = await store.keys.listRelated(SCOPE.accountId, MRK);
        assert.deepEqual(related.map((key) => key.arn), [primary.arn, replica.arn]);
        assert.deepEqual(related[0], primary);
        assert.deepEqual(await store.keys.listRelated(SCOPE.accountId, 'mrk-ffffffffffffffffffffffffffffffff'), []);
      });
    });

    test('write creates and updates several keys with their materials in one transaction', async () => {
      await withFreshStore(open, async (store) => {
        const primary = makeKey(SCOPE, MRK, { multiRegion: true, primaryRegion: SCOPE.region });
        await store.keys.create(primary, makeMaterial(primary, 'm1'));
        const replica = makeKey(OTHER_REGION, MRK, { multiRegion: true, primaryRegion: SCOPE.region });
        await store.keys.write([
          { key: nextRevision(primary) },
          { key: replica, addMaterials: [makeMaterial(replica, 'm1')] },
        ]);
        assert.equal((await store.keys.get(SCOPE, MRK))?.revision, 2);
        assert.deepEqual(await store.keys.get(OTHER_REGION, MRK), replica);
        assert.equal((await store.keys.listMaterials(replica.arn)).length, 1);
      });
    });

    test('a conflict on any key of a write rolls back every key and material of it', async () => {
      await withFreshStore(open, async (store) => {
        const primary = makeKey(SCOPE, MRK, { multiRegion: true, primaryRegion: SCOPE.region });
        const replica = makeKey(OTHER_REGION, MRK, { multiRegion: true, primaryRegion: SCOPE.region });
        await store.keys.create(primary, makeMaterial(primary, 'm1'));
        await store.keys.create(replica, makeMaterial(replica, 'm1'));
        await store.keys.update(nextRevision(replica, { description: 'changed elsewhere' }));
        const rotated = (key: KmsKey) => nextRevision(key, { currentMaterialId: 'm2' });
        await assert.rejects(
          store.keys.write([
            { key: rotated(primary), addMaterials: [makeMaterial(primary, 'm2')] },
            { key: rotated(replica), addMaterials: [makeMaterial(replica, 'm2')] },
          ]),
          RevisionConflictError,
        );
        assert.deepEqual(await store.keys.get(SCOPE, MRK), primary);
        assert.equal(await store.keys.getMaterial(primary.arn, 'm2'), undefined);
        assert.equal(await store.keys.getMaterial(replica.arn, 'm2'), undefined);
      });
    });

    test('removeMaterialIds deletes the material row: it is gone, not flagged', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-1', { origin: 'EXTERNAL' });
        await store.keys.create(key, makeMaterial(key, 'm1'));
        await store.keys.write([{ key: nextRevision(key, { state: 'PendingImport' }), removeMaterialIds: ['m1'] }]);
        assert.equal(await store.keys.getMaterial(key.arn, 'm1'), undefined);
        assert.deepEqual(await store.keys.listMaterials(key.arn), []);
        assert.equal((await store.keys.get(SCOPE, 'k-1'))?.state, 'PendingImport');
      });
    });

    test('a key with no material can be created (origin EXTERNAL, before its import)', async () => {
      await withFreshStore(open, async (store) => {
        const { currentMaterialId: _none, ...key } = makeKey(SCOPE, 'k-1', { origin: 'EXTERNAL', state: 'PendingImport', importedMaterials: [] });
        await store.keys.create(key);
        assert.deepEqual(await store.keys.get(SCOPE, 'k-1'), key);
      });
    });

    test('listDue finds a key whose imported material has expired, and not before', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-1', {
          origin: 'EXTERNAL',
          importedMaterials: [
            { id: 'm1', state: 'IMPORTED', expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: daysAfterT0(10) },
            { id: 'm0', state: 'PENDING_IMPORT', description: 'deleted earlier' },
          ],
        });
        await store.keys.create(key, makeMaterial(key, 'm1'));
        assert.deepEqual(await store.keys.listDue(daysAfterT0(9)), []);
        assert.deepEqual((await store.keys.listDue(daysAfterT0(10))).map((due) => due.arn), [key.arn]);
        assert.deepEqual(await store.keys.get(SCOPE, 'k-1'), key);
      });
    });

    test('a replica is never due for automatic rotation on its own: its primary rotates it', async () => {
      await withFreshStore(open, async (store) => {
        const rotation = { enabled: true, periodInDays: 90, nextRotationAt: daysAfterT0(1) };
        const primary = makeKey(SCOPE, MRK, { multiRegion: true, primaryRegion: SCOPE.region, rotation });
        const replica = makeKey(OTHER_REGION, MRK, { multiRegion: true, primaryRegion: SCOPE.region, rotation });
        await store.keys.create(primary, makeMaterial(primary, 'm1'));
        await store.keys.create(replica, makeMaterial(replica, 'm1'));
        assert.deepEqual((await store.keys.listDue(daysAfterT0(2))).map((due) => due.arn), [primary.arn]);
      });
    });
  });
}
