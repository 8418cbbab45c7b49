import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DuplicateError, InvalidMarkerError } from '../../../src/store/store.js';
import {
  FORGED_MARKERS, OTHER_ACCOUNT, OTHER_REGION, SCOPE, collectPages, daysAfterT0, makeAlias, makeKey,
  makeMaterial, pageRequest, withFreshStore, type OpenFreshStore,
} from './fixtures.js';

/** The alias repository's contract: CRUD, uniqueness per scope, listing by name and by key. */
export function aliasContract(open: OpenFreshStore): void {
  describe('aliases', () => {
    test('a created alias reads back equal; an unknown one is undefined', async () => {
      await withFreshStore(open, async (store) => {
        const alias = makeAlias(SCOPE, 'alias/app', 'k-1');
        await store.aliases.create(alias);
        assert.deepEqual(await store.aliases.get(SCOPE, 'alias/app'), alias);
        assert.equal(await store.aliases.get(SCOPE, 'alias/other'), undefined);
      });
    });

    test('a name taken in the scope is refused with DuplicateError; other scopes may use it', async () => {
      await withFreshStore(open, async (store) => {
        const alias = makeAlias(SCOPE, 'alias/app', 'k-1');
        await store.aliases.create(alias);
        await assert.rejects(store.aliases.create(makeAlias(SCOPE, 'alias/app', 'k-2')), DuplicateError);
        assert.deepEqual(await store.aliases.get(SCOPE, 'alias/app'), alias);
        await store.aliases.create(makeAlias(OTHER_ACCOUNT, 'alias/app', 'k-2'));
        await store.aliases.create(makeAlias(OTHER_REGION, 'alias/app', 'k-3'));
        assert.equal((await store.aliases.get(OTHER_REGION, 'alias/app'))?.targetKeyId, 'k-3');
      });
    });

    test('update points an alias at another key; delete removes it', async () => {
      await withFreshStore(open, async (store) => {
        await store.aliases.create(makeAlias(SCOPE, 'alias/app', 'k-1'));
        const moved = { ...makeAlias(SCOPE, 'alias/app', 'k-2'), updatedAt: daysAfterT0(1) };
        await store.aliases.update(moved);
        assert.deepEqual(await store.aliases.get(SCOPE, 'alias/app'), moved);
        await store.aliases.delete(OTHER_ACCOUNT, 'alias/app');
        assert.deepEqual(await store.aliases.get(SCOPE, 'alias/app'), moved);
        await store.aliases.delete(SCOPE, 'alias/app');
        assert.equal(await store.aliases.get(SCOPE, 'alias/app'), undefined);
        await store.aliases.delete(SCOPE, 'alias/app');
      });
    });

    test('list pages through a scope by name, optionally only the aliases of one key', async () => {
      await withFreshStore(open, async (store) => {
        const names = ['alias/d', 'alias/a', 'alias/c', 'alias/B', 'alias/e'];
        for (const [index, name] of names.entries()) {
          await store.aliases.create(makeAlias(SCOPE, name, index % 2 === 0 ? 'k-even' : 'k-odd'));
        }
        await store.aliases.create(makeAlias(OTHER_ACCOUNT, 'alias/0', 'k-even'));
        const all = await collectPages((marker) => store.aliases.list(SCOPE, pageRequest(2, marker)));
        assert.deepEqual(all.items.map((alias) => alias.name), ['alias/B', 'alias/a', 'alias/c', 'alias/d', 'alias/e']);
        assert.deepEqual(all.pageSizes, [2, 2, 1]);
        const even = await collectPages((marker) =>
          store.aliases.list(SCOPE, { ...pageRequest(1, marker), keyId: 'k-even' }),
        );
        assert.deepEqual(even.items.map((alias) => alias.name), ['alias/c', 'alias/d', 'alias/e']);
        assert.deepEqual(await store.aliases.list(SCOPE, { limit: 5, keyId: 'k-none' }), { items: [] });
      });
    });

    test('a marker the store did not issue is refused with InvalidMarkerError', async () => {
      await withFreshStore(open, async (store) => {
        for (const marker of FORGED_MARKERS) {
          await assert.rejects(store.aliases.list(SCOPE, { limit: 10, marker }), InvalidMarkerError, marker);
        }
        for (const id of ['k-1', 'k-2']) {
          const key = makeKey(SCOPE, id);
          await store.keys.create(key, makeMaterial(key, `${id}-m1`));
        }
        const keyPage = await store.keys.list(SCOPE, { limit: 1 });
        assert.ok(keyPage.nextMarker !== undefined);
        await assert.rejects(store.aliases.list(SCOPE, { limit: 1, marker: keyPage.nextMarker }), InvalidMarkerError);
      });
    });

    test('another account or region sees none of a scope\'s aliases', async () => {
      await withFreshStore(open, async (store) => {
        await store.aliases.create(makeAlias(SCOPE, 'alias/app', 'k-1'));
        for (const scope of [OTHER_ACCOUNT, OTHER_REGION]) {
          assert.equal(await store.aliases.get(scope, 'alias/app'), undefined);
          assert.deepEqual(await store.aliases.list(scope, { limit: 10 }), { items: [] });
          assert.deepEqual(await store.aliases.list(scope, { limit: 10, keyId: 'k-1' }), { items: [] });
        }
      });
    });
  });
}
