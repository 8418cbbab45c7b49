import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { KmsKey } from '../../../src/keys/key.js';
import { materialReadWith, readWithoutGrants } from '../../../src/store/key-read-along.js';
import { DuplicateError, InvalidMarkerError, type Grant, type Store } from '../../../src/store/store.js';
import {
  FORGED_MARKERS, SCOPE, T0, collectPages, makeKey, makeMaterial, nextRevision, pageRequest, withFreshStore,
  type OpenFreshStore,
} from './fixtures.js';

const ALICE = `arn:aws:iam::${SCOPE.accountId}:user/alice`;
const BOB = `arn:aws:iam::${SCOPE.accountId}:user/bob`;

function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** A grant on `key` with only the required fields, changed by `overrides`. */
function makeGrant(key: KmsKey, grantId: string, overrides: Partial<Grant> = {}): Grant {
  return {
    keyArn: key.arn,
    grantId,
    granteePrincipal: ALICE,
    operations: ['Decrypt'],
    issuingAccount: SCOPE.accountId,
    createdAt: T0,
    tokenHash: tokenHash(`token-${key.id}-${grantId}`),
    ...overrides,
  };
}

async function storedKey(store: Store, id: string): Promise<KmsKey> {
  const key = makeKey(SCOPE, id);
  await store.keys.create(key, makeMaterial(key, `${id}-m1`));
  return key;
}

/** The grant repository's contract: CRUD, token lookup, listings in creation order, key revision advance. */
export function grantContract(open: OpenFreshStore): void {
  describe('grants', () => {
    test('a key is read with its current material and whether grants name it, as of its revision', async () => {
      await withFreshStore(open, async (store) => {
        const key = makeKey(SCOPE, 'k-1');
        const first = makeMaterial(key, 'k-1-m1');
        await store.keys.create(key, first);
        let read = (await store.keys.get(SCOPE, 'k-1'))!;
        assert.deepEqual(materialReadWith(read, 'k-1-m1'), first);
        assert.equal(readWithoutGrants(read), true);

        const rotated = nextRevision(key, { currentMaterialId: 'k-1-m2' });
        const second = makeMaterial(key, 'k-1-m2');
        await store.keys.update(rotated, second);
        read = (await store.keys.get(SCOPE, 'k-1'))!;
        assert.deepEqual(materialReadWith(read, 'k-1-m2'), second);
        assert.equal(materialReadWith(read, 'k-1-m1'), undefined, 'only the current version comes with the key');

        await store.grants.create(makeGrant(key, 'g-1'));
        read = (await store.keys.get(SCOPE, 'k-1'))!;
        assert.equal(readWithoutGrants(read), false);
        await store.grants.delete(key.arn, 'g-1');
        assert.equal(readWithoutGrants((await store.keys.get(SCOPE, 'k-1'))!), true);

        const { currentMaterialId: _none, ...awaitingImport } = makeKey(SCOPE, 'k-2', { origin: 'EXTERNAL', state: 'PendingImport' });
        await store.keys.create(awaitingImport);
        assert.equal(materialReadWith((await store.keys.get(SCOPE, 'k-2'))!, 'k-2-m1'), undefined);
      });
    });

    test('a created grant reads back equal with every optional field; an unknown one is undefined', async () => {
      await withFreshStore(open, async (store) => {
        const key = await storedKey(store, 'k-1');
        const grant = makeGrant(key, 'g-1', {
          name: 'app',
          retiringPrincipal: BOB,
          operations: ['Encrypt', 'Decrypt', 'RetireGrant'],
          constraints: { encryptionContextSubset: { tenant: 'a' }, encryptionContextEquals: { Dept: 'X', b: '' } },
        });
        await store.grants.create(grant);
        assert.deepEqual(await store.grants.get(key.arn, 'g-1'), grant);
        assert.equal(await store.grants.get(key.arn, 'g-2'), undefined);
        const minimal = makeGrant(key, 'g-2');
        await store.grants.create(minimal);
        assert.deepEqual(await store.grants.get(key.arn, 'g-2'), minimal);
      });
    });

    test('a grant id taken on the key is refused with DuplicateError', async () => {
      await withFreshStore(open, async (store) => {
        const key = await storedKey(store, 'k-1');
        await store.grants.create(makeGrant(key, 'g-1'));
        await assert.rejects(store.grants.create(makeGrant(key, 'g-1', { tokenHash: tokenHash('other') })), DuplicateError);
      });
    });

    test('a grant is found by the digest of its token only', async () => {
      await withFreshStore(open, async (store) => {
        const key = await storedKey(store, 'k-1');
        const grant = makeGrant(key, 'g-1', { tokenHash: tokenHash('the token') });
        await store.grants.create(grant);
        assert.deepEqual(await store.grants.findByTokenHash(tokenHash('the token')), grant);
        assert.equal(await store.grants.findByTokenHash(tokenHash('another token')), undefined);
      });
    });

    test('creating and deleting a grant advance the key\'s revision; deleting an unknown grant does not', async () => {
      await withFreshStore(open, async (store) => {
        const key = await storedKey(store, 'k-1');
        await store.grants.create(makeGrant(key, 'g-1'));
        assert.equal((await store.keys.get(SCOPE, 'k-1'))?.revision, 2);
        await store.grants.delete(key.arn, 'g-1');
        assert.equal((await store.keys.get(SCOPE, 'k-1'))?.revision, 3);
        assert.equal(await store.grants.get(key.arn, 'g-1'), undefined);
        await store.grants.delete(key.arn, 'g-1');
        const after = await store.keys.get(SCOPE, 'k-1');
        assert.equal(after?.revision, 3);
        assert.deepEqual(after, { ...key, revision: 3 });
      });
    });

    test('list and listAll return a key\'s grants in creation order, paged', async () => {
      await withFreshStore(open, async (store) => {
        const [key, other] = [await storedKey(store, 'k-1'), await storedKey(store, 'k-2')];
        for (const id of ['g-c', 'g-a', 'g-b', 'g-e', 'g-d']) await store.grants.create(makeGrant(key, id));
        await store.grants.create(makeGrant(other, 'g-x'));
        const all = await collectPages((marker) => store.grants.list(key.arn, pageRequest(2, marker)));
        assert.deepEqual(all.items.map((grant) => grant.grantId), ['g-c', 'g-a', 'g-b', 'g-e', 'g-d']);
        assert.deepEqual(all.pageSizes, [2, 2, 1]);
        assert.deepEqual((await store.grants.listAll(key.arn)).map((grant) => grant.grantId), ['g-c', 'g-a', 'g-b', 'g-e', 'g-d']);
        assert.deepEqual(await store.grants.list('arn:aws:kms:eu-west-1:111122223333:key/none', { limit: 5 }), { items: [] });
      });
    });

    test('listRetirable lists grants of every key whose retiring principal is the one asked about', async () => {
      await withFreshStore(open, async (store) => {
        const [key, other] = [await storedKey(store, 'k-1'), await storedKey(store, 'k-2')];
        await store.grants.create(makeGrant(key, 'g-1', { retiringPrincipal: BOB }));
        await store.grants.create(makeGrant(key, 'g-2', { retiringPrincipal: ALICE }));
        await store.grants.create(makeGrant(other, 'g-3', { retiringPrincipal: BOB }));
        await store.grants.create(makeGrant(other, 'g-4'));
        const bob = await collectPages((marker) => store.grants.listRetirable(BOB, pageRequest(1, marker)));
        assert.deepEqual(bob.items.map((grant) => [grant.keyArn, grant.grantId]), [[key.arn, 'g-1'], [other.arn, 'g-3']]);
      });
    });

    test('a marker the store did not issue is refused with InvalidMarkerError', async () => {
      await withFreshStore(open, async (store) => {
        const key = await storedKey(store, 'k-1');
        for (const marker of FORGED_MARKERS) {
          await assert.rejects(store.grants.list(key.arn, { limit: 10, marker }), InvalidMarkerError, marker);
          await assert.rejects(store.grants.listRetirable(BOB, { limit: 10, marker }), InvalidMarkerError, marker);
        }
      });
    });

    test('deleting a key deletes its grants', async () => {
      await withFreshStore(open, async (store) => {
        const key = await storedKey(store, 'k-1');
        await store.grants.create(makeGrant(key, 'g-1', { retiringPrincipal: BOB }));
        await store.keys.delete(SCOPE, 'k-1');
        assert.deepEqual(await store.grants.listAll(key.arn), []);
        assert.deepEqual(await store.grants.listRetirable(BOB, { limit: 10 }), { items: [] });
      });
    });
  });
}
