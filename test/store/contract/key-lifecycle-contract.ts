import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KmsKey } from '../../../src/keys/key.js';
import type { Store } from '../../../src/store/store.js';
import { DuplicateError, RevisionConflictError } from '../../../src/store/store.js';
import {
  OTHER_ACCOUNT, OTHER_REGION, SCOPE, daysAfterT0, makeAlias, makeKey, makeMaterial, nextRevision,
  withFreshStore, type OpenFreshStore,
} from './fixtures.js';

async function createKey(store: Store, key: KmsKey): Promise<KmsKey> {
  await store.keys.create(key, makeMaterial(key, `${key.id}-m1`));
  return key;
}

/** The key repository's contract for a key's life: rotation, deletion and the background work due. */
export function keyLifecycleContract(open: OpenFreshStore): void {
  describe('key lifecycle', () => {
    test('rotation appends a material version with the update; versions list oldest first', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-1');
        const first = makeMaterial(key, 'k-1-m1');
        await store.keys.create(key, first);
        const second = makeMaterial(key, 'k-1-m0', { createdAt: daysAfterT0(1), rotationType: 'ON_DEMAND' });
        const rotated = nextRevision(key, { currentMaterialId: 'k-1-m0' });
        await store.keys.update(rotated, second);
        const third = makeMaterial(key, 'k-1-m9', { createdAt: daysAfterT0(2), rotationType: 'AUTOMATIC' });
        await store.keys.update(nextRevision(rotated, { currentMaterialId: 'k-1-m9' }), third);

        assert.deepEqual(await store.keys.listMaterials(key.arn), [first, second, third]);
        assert.deepEqual(await store.keys.getMaterial(key.arn, 'k-1-m0'), second);
        assert.equal((await store.keys.get(SCOPE, 'k-1'))?.currentMaterialId, 'k-1-m9');
      });
    });

    test('a rotation refused for a stale revision appends no material', async () => {
      await withFreshStore(open, async (store) => {
        const key = await createKey(store, makeKey(SCOPE, 'k-1'));
        await store.keys.update(nextRevision(key, { description: 'changed' }));
        const lost = makeMaterial(key, 'k-1-m2', { rotationType: 'ON_DEMAND' });
        await assert.rejects(store.keys.update(nextRevision(key, { currentMaterialId: 'k-1-m2' }), lost), RevisionConflictError);
        assert.equal(await store.keys.getMaterial(key.arn, 'k-1-m2'), undefined);
        assert.equal((await store.keys.listMaterials(key.arn)).length, 1);
      });
    });

    test('a rotation whose material id exists already changes nothing', async () => {
      await withFreshStore(open, async (store) => {
        const key = await createKey(store, makeKey(SCOPE, 'k-1'));
        const clash = makeMaterial(key, 'k-1-m1', { rotationType: 'ON_DEMAND' });
        await assert.rejects(store.keys.update(nextRevision(key, { description: 'x' }), clash), DuplicateError);
        assert.deepEqual(await store.keys.get(SCOPE, 'k-1'), key);
        assert.equal((await store.keys.listMaterials(key.arn)).length, 1);
      });
    });

    test('delete removes the key, all its materials and the aliases that point to it, nothing else', async () => {
      await withFreshStore(open, async (store) => {
        const doomed = await createKey(store, makeKey(SCOPE, 'k-1'));
        await store.keys.update(nextRevision(doomed, { currentMaterialId: 'k-1-m2' }), makeMaterial(doomed, 'k-1-m2'));
        const kept = await createKey(store, makeKey(SCOPE, 'k-2'));
        const twin = await createKey(store, makeKey(OTHER_REGION, 'k-1'));
        await store.aliases.create(makeAlias(SCOPE, 'alias/doomed-a', 'k-1'));
        await store.aliases.create(makeAlias(SCOPE, 'alias/doomed-b', 'k-1'));
        await store.aliases.create(makeAlias(SCOPE, 'alias/kept', 'k-2'));
        await store.aliases.create(makeAlias(OTHER_REGION, 'alias/twin', 'k-1'));

        await store.keys.delete(SCOPE, 'k-1');

        assert.equal(await store.keys.get(SCOPE, 'k-1'), undefined);
        assert.deepEqual(await store.keys.listMaterials(doomed.arn), []);
        assert.equal(await store.keys.getMaterial(doomed.arn, 'k-1-m1'), undefined);
        const aliases = await store.aliases.list(SCOPE, { limit: 10 });
        assert.deepEqual(aliases.items.map((alias) => alias.name), ['alias/kept']);
        assert.deepEqual(await store.keys.get(SCOPE, 'k-2'), kept);
        assert.deepEqual(await store.keys.get(OTHER_REGION, 'k-1'), twin);
        assert.equal((await store.keys.listMaterials(twin.arn)).length, 1);
        assert.ok(await store.aliases.get(OTHER_REGION, 'alias/twin'));
        await store.keys.delete(SCOPE, 'k-1'); // deleting again is a no-op
      });
    });

    test('a deleted key id can be created anew, starting from revision 1', async () => {
      await withFreshStore(open, async (store) => {
        await createKey(store, makeKey(SCOPE, 'k-1'));
        await store.keys.delete(SCOPE, 'k-1');
        const reborn = await createKey(store, makeKey(SCOPE, 'k-1', { description: 'new' }));
        assert.deepEqual(await store.keys.get(SCOPE, 'k-1'), reborn);
      });
    });

    test('listDue finds, in every scope, deletions and rotations due at or before now', async () => {
      await withFreshStore(open, async (store) => {
        const now = daysAfterT0(10);
        const pending = (days: number) => ({ state: 'PendingDeletion' as const, deletionAt: daysAfterT0(days), pendingWindowInDays: 7 });
        const rotating = (days: number) => ({ rotation: { enabled: true, periodInDays: 90, nextRotationAt: daysAfterT0(days) } });
        const due = [
          await createKey(store, makeKey(SCOPE, 'due-deletion', pending(9))),
          await createKey(store, makeKey(SCOPE, 'due-deletion-now', pending(10))),
          await createKey(store, makeKey(OTHER_ACCOUNT, 'due-rotation', rotating(3))),
          await createKey(store, makeKey(OTHER_REGION, 'due-rotation-now', rotating(10))),
        ];
        await createKey(store, makeKey(SCOPE, 'later-deletion', pending(11)));
        await createKey(store, makeKey(SCOPE, 'later-rotation', rotating(11)));
        await createKey(store, makeKey(SCOPE, 'enabled-with-stale-deletion-time', { deletionAt: daysAfterT0(1) }));
        await createKey(store, makeKey(SCOPE, 'no-rotation'));

        const found = await store.keys.listDue(now);
        const byId = (a: KmsKey, b: KmsKey) => (a.id < b.id ? -1 : 1);
        assert.deepEqual([...found].sort(byId), [...due].sort(byId));
      });
    });

    test('listDue follows updates: a rescheduled rotation is no longer due', async () => {
      await withFreshStore(open, async (store) => {
        const key = await createKey(store, makeKey(SCOPE, 'k-1', { rotation: { enabled: true, periodInDays: 90, nextRotationAt: daysAfterT0(1) } }));
        assert.deepEqual(await store.keys.listDue(daysAfterT0(2)), [key]);
        const rotated = nextRevision(key, { currentMaterialId: 'k-1-m2', rotation: { enabled: true, periodInDays: 90, nextRotationAt: daysAfterT0(91) } });
        await store.keys.update(rotated, makeMaterial(key, 'k-1-m2', { rotationType: 'AUTOMATIC' }));
        assert.deepEqual(await store.keys.listDue(daysAfterT0(2)), []);
        assert.deepEqual(await store.keys.listDue(daysAfterT0(91)), [rotated]);
      });
    });

    test('countByState counts keys per state in every account and region, following updates and deletions', async () => {
      await withFreshStore(open, async (store) => {
        assert.deepEqual(await store.keys.countByState(), {});
        const disabled = await createKey(store, makeKey(SCOPE, 'k-1'));
        await createKey(store, makeKey(OTHER_ACCOUNT, 'k-2'));
        await createKey(store, makeKey(OTHER_REGION, 'k-3'));
        await createKey(store, makeKey(SCOPE, 'k-4', { state: 'PendingDeletion', deletionAt: daysAfterT0(7), pendingWindowInDays: 7 }));
        assert.deepEqual(await store.keys.countByState(), { Enabled: 3, PendingDeletion: 1 });
        await store.keys.update(nextRevision(disabled, { state: 'Disabled' }));
        await store.keys.delete(SCOPE, 'k-4');
        assert.deepEqual(await store.keys.countByState(), { Enabled: 2, Disabled: 1 });
      });
    });
  });
}
