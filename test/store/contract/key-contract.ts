import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { DuplicateError, InvalidMarkerError, RevisionConflictError } from '../../../src/store/store.js';
import {
  FORGED_MARKERS, OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0, collectPages, daysAfterT0, makeAlias, makeKey,
  makeMaterial, nextRevision, pageRequest, withFreshStore, type OpenFreshStore,
} from './fixtures.js';

/** The key repository's contract: create, get, list with paging, update with revisions, scopes. */
export function keyContract(open: OpenFreshStore): void {
  describe('keys', () => {
    test('a created key reads back equal, with absent optional fields absent', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-1');
        await store.keys.create(key, makeMaterial(key, 'k-1-m1'));
        const read = await store.keys.get(SCOPE, 'k-1');
        assert.deepEqual(read, key);
        assert.ok(read !== undefined);
        for (const field of ['deletionAt', 'pendingWindowInDays'] as const) assert.equal(field in read, false);
        for (const field of ['nextRotationAt', 'lastOnDemandRotationAt'] as const) {
          assert.equal(field in read.rotation, false);
        }
      });
    });

    test('every field of a key round-trips, enums and Unicode included', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-full', {
          spec: 'ECC_NIST_P256', usage: 'SIGN_VERIFY', origin: 'EXTERNAL', multiRegion: true,
          description: 'clé « spéciale » 🔑', state: 'PendingDeletion', deletionAt: daysAfterT0(7),
          pendingWindowInDays: 7, tags: [{ key: 'team', value: 'vault' }, { key: 'env', value: '' }],
          rotation: { enabled: true, periodInDays: 90, nextRotationAt: daysAfterT0(90), lastOnDemandRotationAt: T0 },
        });
        await store.keys.create(key, makeMaterial(key, 'k-full-m1'));
        assert.deepEqual(await store.keys.get(SCOPE, 'k-full'), key);
      });
    });

    test('the first material is stored with the key, bytes exact', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-1');
        const material = makeMaterial(key, 'k-1-m1', { wrapped: Buffer.concat([Buffer.alloc(3), randomBytes(40)]) });
        const asymmetric = makeKey(SCOPE, 'k-2', { spec: 'RSA_2048', usage: 'SIGN_VERIFY' });
        const withPublicKey = makeMaterial(asymmetric, 'k-2-m1', { publicKey: randomBytes(294) });
        await store.keys.create(key, material);
        await store.keys.create(asymmetric, withPublicKey);
        const read = await store.keys.getMaterial(key.arn, 'k-1-m1');
        assert.deepEqual(read, material);
        assert.ok(read !== undefined && Buffer.isBuffer(read.wrapped));
        assert.equal('rotationType' in read, false);
        assert.equal('publicKey' in read, false);
        assert.deepEqual(await store.keys.getMaterial(asymmetric.arn, 'k-2-m1'), withPublicKey);
        assert.deepEqual(await store.keys.listMaterials(key.arn), [material]);
      });
    });

    test('unknown keys and materials read as undefined', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-1');
        await store.keys.create(key, makeMaterial(key, 'k-1-m1'));
        assert.equal(await store.keys.get(SCOPE, 'k-2'), undefined);
        assert.equal(await store.keys.getMaterial(key.arn, 'k-1-m2'), undefined);
        assert.deepEqual(await store.keys.listMaterials(makeKey(SCOPE, 'k-2').arn), []);
      });
    });

    test('creating a key id twice in one scope is refused with DuplicateError, and nothing changes', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-1');
        await store.keys.create(key, makeMaterial(key, 'k-1-m1'));
        const again = makeKey(SCOPE, 'k-1', { description: 'second' });
        await assert.rejects(store.keys.create(again, makeMaterial(again, 'k-1-other')), DuplicateError);
        assert.deepEqual(await store.keys.get(SCOPE, 'k-1'), key);
        assert.equal(await store.keys.getMaterial(key.arn, 'k-1-other'), undefined);
      });
    });

    test('list pages through one scope in key id order; the last page has no marker', async () => {
      await withFreshStore(open, async (store) => {
        for (const id of ['k-3', 'k-1', 'k-5', 'k-2', 'k-4']) {
          const key = makeKey(SCOPE, id);
          await store.keys.create(key, makeMaterial(key, `${id}-m1`));
        }
        const other = makeKey(OTHER_REGION, 'k-0');
        await store.keys.create(other, makeMaterial(other, 'k-0-m1'));
        const { items, pageSizes } = await collectPages((marker) => store.keys.list(SCOPE, pageRequest(2, marker)));
        assert.deepEqual(items.map((key) => key.id), ['k-1', 'k-2', 'k-3', 'k-4', 'k-5']);
        assert.deepEqual(pageSizes, [2, 2, 1]);
        const exact = await store.keys.list(SCOPE, { limit: 5 });
        assert.equal(exact.items.length, 5);
        assert.equal('nextMarker' in exact, false);
      });
    });

    test('paging is stable while keys are added before the marker', async () => {
      await withFreshStore(open, async (store) => {
        for (const id of ['k-2', 'k-4', 'k-6']) {
          const key = makeKey(SCOPE, id);
          await store.keys.create(key, makeMaterial(key, `${id}-m1`));
        }
        const first = await store.keys.list(SCOPE, { limit: 2 });
        const early = makeKey(SCOPE, 'k-1');
        await store.keys.create(early, makeMaterial(early, 'k-1-m1'));
        const second = await store.keys.list(SCOPE, pageRequest(2, first.nextMarker));
        assert.deepEqual(first.items.map((key) => key.id), ['k-2', 'k-4']);
        assert.deepEqual(second.items.map((key) => key.id), ['k-6']);
      });
    });

    test('a marker the store did not issue is refused with InvalidMarkerError', async () => {
      await withFreshStore(open, async (store) => {
        for (const marker of FORGED_MARKERS) {
          await assert.rejects(store.keys.list(SCOPE, { limit: 10, marker }), InvalidMarkerError, marker);
        }
        await store.aliases.create(makeAlias(SCOPE, 'alias/a', 'k-1'));
        await store.aliases.create(makeAlias(SCOPE, 'alias/b', 'k-1'));
        const aliasPage = await store.aliases.list(SCOPE, { limit: 1 });
        assert.ok(aliasPage.nextMarker !== undefined);
        await assert.rejects(store.keys.list(SCOPE, { limit: 1, marker: aliasPage.nextMarker }), InvalidMarkerError);
      });
    });

    test('update stores revision + 1 and refuses a stale, skipped or missing revision', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-1');
        await store.keys.create(key, makeMaterial(key, 'k-1-m1'));
        const disabled = nextRevision(key, { state: 'Disabled', description: 'off' });
        await store.keys.update(disabled);
        assert.deepEqual(await store.keys.get(SCOPE, 'k-1'), disabled);

        const stale = nextRevision(key, { description: 'lost update' });
        await assert.rejects(store.keys.update(stale), RevisionConflictError);
        await assert.rejects(store.keys.update({ ...disabled, revision: 4 }), RevisionConflictError);
        await assert.rejects(store.keys.update(nextRevision(makeKey(SCOPE, 'k-9'))), RevisionConflictError);
        assert.deepEqual(await store.keys.get(SCOPE, 'k-1'), disabled);
      });
    });

    test('an update can remove optional fields (cancelling deletion)', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-1', { state: 'PendingDeletion', deletionAt: daysAfterT0(7), pendingWindowInDays: 7 });
        await store.keys.create(key, makeMaterial(key, 'k-1-m1'));
        const { deletionAt: _deletionAt, pendingWindowInDays: _window, ...rest } = key;
        const cancelled = nextRevision({ ...rest, state: 'Disabled' });
        await store.keys.update(cancelled);
        const read = await store.keys.get(SCOPE, 'k-1');
        assert.deepEqual(read, cancelled);
        assert.equal(read !== undefined && 'deletionAt' in read, false);
        assert.deepEqual(await store.keys.listDue(daysAfterT0(30)), []);
      });
    });

    test('another account or region sees none of a scope\'s keys', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-1');
        await store.keys.create(key, makeMaterial(key, 'k-1-m1'));
        for (const scope of [OTHER_ACCOUNT, OTHER_REGION]) {
          assert.equal(await store.keys.get(scope, 'k-1'), undefined);
          assert.deepEqual(await store.keys.list(scope, { limit: 10 }), { items: [] });
          await store.keys.delete(scope, 'k-1');
        }
        assert.deepEqual(await store.keys.get(SCOPE, 'k-1'), key);
        const twin = makeKey(OTHER_ACCOUNT, 'k-1', { description: 'same id, other account' });
        await store.keys.create(twin, makeMaterial(twin, 'k-1-m1'));
        assert.deepEqual(await store.keys.get(OTHER_ACCOUNT, 'k-1'), twin);
        assert.deepEqual(await store.keys.get(SCOPE, 'k-1'), key);
      });
    });
  });
}
