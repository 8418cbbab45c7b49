import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CustomKeyStore } from '../../../src/keys/custom-key-store.js';
import {
  DuplicateError, InUseError, InvalidMarkerError, MissingReferenceError, RevisionConflictError, type Store,
} from '../../../src/store/store.js';
import {
  FORGED_MARKERS, OTHER_ACCOUNT, OTHER_REGION, SCOPE, collectPages, makeCluster, makeExternalKeyStore, makeKey, makeKeyStore, makeMaterial,
  nextRevision, pageRequest, withFreshStore, type OpenFreshStore, type ReopenStore,
} from './fixtures.js';

const CLUSTER_A = 'cluster-aaaaaaaaaaa';
const CLUSTER_B = 'cluster-bbbbbbbbbbb';
const STORE_1 = 'cks-00000000000000001';
const STORE_2 = 'cks-00000000000000002';
const MISSING_STORE = 'cks-fffffffffffffffff';

/** The same store with `changes` applied and the revision advanced, as the service would store it. */
function nextStoreRevision<S extends CustomKeyStore>(store: S, changes: Partial<S> = {}): S {
  return { ...store, ...changes, revision: store.revision + 1 };
}

/**
 * What a node does as a request arrives over the network: a later event-loop turn (SQLite reads another process's
 * commits once per turn), then `catchUp` (PostgreSQL reads the change counter).
 */
async function nextRequest(store: Store): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await store.catchUp();
}

/** A key of origin AWS_CLOUDHSM in `keyStoreId`, as ADR 0022's CreateKey stores it. */
function keyInStore(id: string, keyStoreId: string) {
  return makeKey(SCOPE, id, { origin: 'AWS_CLOUDHSM', customKeyStoreId: keyStoreId });
}

/**
 * The contract of `Store.keyStores` (ADR 0022): HSM clusters the operator registers, custom key stores on them, and
 * the references the store keeps checked — a store's cluster, a key's store — both ways.
 */
export function customKeyStoreContract(open: OpenFreshStore, openAgain: ReopenStore): void {
  describe('custom key stores and HSM clusters', () => {
    test('registered clusters are found, listed by cluster id, and refused twice', async () => {
      await withFreshStore(open, async (store) => {
        const b = makeCluster(CLUSTER_B);
        const a = makeCluster(CLUSTER_A, { modulePath: '/opt/hsm/lib/pkcs11.so', tokenLabel: 'kms' });
        await store.keyStores.registerCluster(b);
        await store.keyStores.registerCluster(a);
        assert.deepEqual(await store.keyStores.getCluster(CLUSTER_A), a);
        assert.equal(await store.keyStores.getCluster('cluster-ccccccccccc'), undefined);
        assert.deepEqual(await store.keyStores.listClusters(), [a, b]);
        await assert.rejects(store.keyStores.registerCluster(makeCluster(CLUSTER_A)), DuplicateError);
        assert.deepEqual(await store.keyStores.getCluster(CLUSTER_A), a, 'the first registration stays');
      });
    });

    test('removeCluster removes a cluster no store uses, says false for none, and refuses one in use', async () => {
      await withFreshStore(open, async (store) => {
        await store.keyStores.registerCluster(makeCluster(CLUSTER_A));
        await store.keyStores.registerCluster(makeCluster(CLUSTER_B));
        await store.keyStores.create(makeKeyStore(SCOPE, STORE_1, CLUSTER_A));
        await assert.rejects(store.keyStores.removeCluster(CLUSTER_A), InUseError);
        assert.notEqual(await store.keyStores.getCluster(CLUSTER_A), undefined);
        assert.equal(await store.keyStores.removeCluster(CLUSTER_B), true);
        assert.equal(await store.keyStores.removeCluster(CLUSTER_B), false);
        await store.keyStores.delete(SCOPE, STORE_1);
        assert.equal(await store.keyStores.removeCluster(CLUSTER_A), true);
        assert.deepEqual(await store.keyStores.listClusters(), []);
      });
    });

    test('a store round-trips by id and by name in its own account and region only', async () => {
      await withFreshStore(open, async (store) => {
        await store.keyStores.registerCluster(makeCluster(CLUSTER_A));
        await store.keyStores.registerCluster(makeCluster(CLUSTER_B));
        const plain = makeKeyStore(SCOPE, STORE_1, CLUSTER_A);
        const failed = makeKeyStore(SCOPE, STORE_2, CLUSTER_B, { connectionState: 'FAILED', connectionErrorCode: 'INVALID_CREDENTIALS' });
        await store.keyStores.create(plain);
        await store.keyStores.create(failed);
        assert.deepEqual(await store.keyStores.get(SCOPE, STORE_1), plain);
        assert.deepEqual(await store.keyStores.get(SCOPE, STORE_2), failed);
        assert.deepEqual(await store.keyStores.getByName(SCOPE, failed.name), failed);
        assert.ok(!('connectionErrorCode' in (await store.keyStores.get(SCOPE, STORE_1))!), 'absent, not undefined-valued');
        for (const scope of [OTHER_ACCOUNT, OTHER_REGION]) {
          assert.equal(await store.keyStores.get(scope, STORE_1), undefined);
          assert.equal(await store.keyStores.getByName(scope, plain.name), undefined);
        }
        assert.equal(await store.keyStores.getByName(SCOPE, 'no-such-store'), undefined);
      });
    });

    test('a store naming an unregistered cluster is refused with MissingReferenceError', async () => {
      await withFreshStore(open, async (store) => {
        await assert.rejects(store.keyStores.create(makeKeyStore(SCOPE, STORE_1, CLUSTER_A)), MissingReferenceError);
        assert.equal(await store.keyStores.get(SCOPE, STORE_1), undefined);
      });
    });

    test('list pages through one account and region by id, with markers only it issued', async () => {
      await withFreshStore(open, async (store) => {
        const ids = ['cks-00000000000000005', 'cks-00000000000000003', 'cks-00000000000000004', STORE_2, STORE_1];
        for (const [index, id] of ids.entries()) {
          const clusterId = `cluster-${'abcdefg'[index]!.repeat(11)}`;
          await store.keyStores.registerCluster(makeCluster(clusterId));
          await store.keyStores.create(makeKeyStore(SCOPE, id, clusterId));
        }
        await store.keyStores.registerCluster(makeCluster('cluster-zzzzzzzzzzz'));
        await store.keyStores.create(makeKeyStore(OTHER_ACCOUNT, 'cks-00000000000000000', 'cluster-zzzzzzzzzzz'));
        const { items, pageSizes } = await collectPages((marker) => store.keyStores.list(SCOPE, pageRequest(2, marker)));
        assert.deepEqual(items.map((item) => item.id), [...ids].sort());
        assert.deepEqual(pageSizes, [2, 2, 1]);
        assert.deepEqual((await store.keyStores.list(OTHER_REGION, { limit: 10 })).items, []);
        for (const marker of FORGED_MARKERS) {
          await assert.rejects(store.keyStores.list(SCOPE, { limit: 10, marker }), InvalidMarkerError, marker);
        }
        await store.keys.create(makeKey(SCOPE, 'k1'));
        await store.keys.create(makeKey(SCOPE, 'k2'));
        const keyPage = await store.keys.list(SCOPE, { limit: 1 });
        assert.ok(keyPage.nextMarker !== undefined);
        await assert.rejects(store.keyStores.list(SCOPE, { limit: 1, marker: keyPage.nextMarker }), InvalidMarkerError);
      });
    });

    test('update replaces the store at the next revision, and refuses any other revision', async () => {
      await withFreshStore(open, async (store) => {
        await store.keyStores.registerCluster(makeCluster(CLUSTER_A));
        const created = makeKeyStore(SCOPE, STORE_1, CLUSTER_A);
        await store.keyStores.create(created);
        const failed = nextStoreRevision(created, { connectionState: 'FAILED', connectionErrorCode: 'NETWORK_ERRORS' });
        await store.keyStores.update(failed);
        assert.deepEqual(await store.keyStores.get(SCOPE, STORE_1), failed);
        const { connectionErrorCode: _cleared, ...withoutCode } = failed;
        const connected = nextStoreRevision(withoutCode, { connectionState: 'CONNECTED', name: 'renamed', wrappedPin: Buffer.from('new pin wrapped') });
        await store.keyStores.update(connected);
        assert.deepEqual(await store.keyStores.get(SCOPE, STORE_1), connected);
        assert.deepEqual(await store.keyStores.getByName(SCOPE, 'renamed'), connected);
        assert.equal(await store.keyStores.getByName(SCOPE, created.name), undefined);
        // A writer that read revision 2 (or 1) lost the race: refused, and the stored store stays.
        await assert.rejects(store.keyStores.update(nextStoreRevision(failed, { name: 'stale' })), RevisionConflictError);
        await assert.rejects(store.keyStores.update({ ...connected, revision: 5 }), RevisionConflictError);
        await assert.rejects(store.keyStores.update(nextStoreRevision(makeKeyStore(SCOPE, STORE_2, CLUSTER_A))), RevisionConflictError);
        assert.deepEqual(await store.keyStores.get(SCOPE, STORE_1), connected);
      });
    });

    test('a name is unique per account and region; a cluster serves one store in any account', async () => {
      await withFreshStore(open, async (store) => {
        for (const clusterId of [CLUSTER_A, CLUSTER_B, 'cluster-ccccccccccc']) await store.keyStores.registerCluster(makeCluster(clusterId));
        await store.keyStores.create(makeKeyStore(SCOPE, STORE_1, CLUSTER_A, { name: 'vault' }));
        const sameName = makeKeyStore(SCOPE, STORE_2, CLUSTER_B, { name: 'vault' });
        await assert.rejects(store.keyStores.create(sameName), { name: 'DuplicateError', message: 'custom key store name already exists' });
        const sameCluster = makeKeyStore(OTHER_ACCOUNT, STORE_2, CLUSTER_A, { name: 'other' });
        await assert.rejects(store.keyStores.create(sameCluster), { name: 'DuplicateError', message: 'cluster already exists' });
        await assert.rejects(
          store.keyStores.create(makeKeyStore(OTHER_ACCOUNT, STORE_1, CLUSTER_B, { name: 'other' })), DuplicateError, 'the same id',
        );
        // The same name elsewhere is another store.
        await store.keyStores.create(makeKeyStore(OTHER_ACCOUNT, STORE_2, CLUSTER_B, { name: 'vault' }));
        const third = makeKeyStore(SCOPE, 'cks-00000000000000003', 'cluster-ccccccccccc', { name: 'third' });
        await store.keyStores.create(third);
        // An update meets the same constraints, and changes nothing when refused.
        await assert.rejects(store.keyStores.update(nextStoreRevision(third, { name: 'vault' })), { message: 'custom key store name already exists' });
        await assert.rejects(store.keyStores.update(nextStoreRevision(third, { clusterId: CLUSTER_B })), { message: 'cluster already exists' });
        await assert.rejects(store.keyStores.update(nextStoreRevision(third, { clusterId: 'cluster-ddddddddddd' })), MissingReferenceError);
        assert.deepEqual(await store.keyStores.get(SCOPE, third.id), third);
      });
    });

    test('a key in a store round-trips with its store, which then cannot be deleted until the key is', async () => {
      await withFreshStore(open, async (store) => {
        await store.keyStores.registerCluster(makeCluster(CLUSTER_A));
        const keyStore = makeKeyStore(SCOPE, STORE_1, CLUSTER_A);
        await store.keyStores.create(keyStore);
        const key = keyInStore('k1', STORE_1);
        await store.keys.create(key, makeMaterial(key, 'k1-m1', { wrapped: Buffer.alloc(0) }));
        await store.keys.create(makeKey(SCOPE, 'k2'), makeMaterial(makeKey(SCOPE, 'k2'), 'k2-m1'));
        assert.deepEqual(await store.keys.get(SCOPE, 'k1'), key);
        assert.deepEqual((await store.keys.list(SCOPE, { limit: 10 })).items[0], key);
        assert.deepEqual((await store.keys.getMaterial(key.arn, 'k1-m1'))?.wrapped, Buffer.alloc(0));
        // Any state counts: a key pending deletion still names the store.
        const pending = nextRevision(key, { state: 'PendingDeletion', deletionAt: key.createdAt + 1 });
        await store.keys.update(pending);
        assert.deepEqual(await store.keys.get(SCOPE, 'k1'), pending);
        await assert.rejects(store.keyStores.delete(SCOPE, STORE_1), InUseError);
        assert.deepEqual(await store.keyStores.get(SCOPE, STORE_1), keyStore);
        await store.keys.delete(SCOPE, 'k1');
        await store.keyStores.delete(SCOPE, STORE_1);
        assert.equal(await store.keyStores.get(SCOPE, STORE_1), undefined);
        await store.keyStores.delete(SCOPE, STORE_1); // deleting none is no error
      });
    });

    test('a key naming a store that does not exist is refused with MissingReferenceError, and nothing of it is stored', async () => {
      await withFreshStore(open, async (store) => {
        const key = keyInStore('k1', MISSING_STORE);
        await assert.rejects(store.keys.create(key, makeMaterial(key, 'k1-m1')), MissingReferenceError);
        assert.equal(await store.keys.get(SCOPE, 'k1'), undefined);
        assert.deepEqual(await store.keys.listMaterials(key.arn), []);
        // In a write of several keys, the whole write is rolled back.
        const other = makeKey(SCOPE, 'k0');
        await assert.rejects(store.keys.write([{ key: other, addMaterials: [makeMaterial(other, 'k0-m1')] }, { key }]), MissingReferenceError);
        assert.equal(await store.keys.get(SCOPE, 'k0'), undefined);
        // A duplicate key is still a duplicate, not a missing reference.
        await store.keyStores.registerCluster(makeCluster(CLUSTER_A));
        await store.keyStores.create(makeKeyStore(SCOPE, STORE_1, CLUSTER_A));
        await store.keys.create(keyInStore('k2', STORE_1));
        await assert.rejects(store.keys.create(keyInStore('k2', STORE_1)), DuplicateError);
      });
    });

    test('an external key store round-trips with its proxy; its URI is unique per account and region, an external key per store', async () => {
      await withFreshStore(open, async (store) => {
        const external = makeExternalKeyStore(SCOPE, STORE_1, 'https://xks.example.com:8443');
        await store.keyStores.create(external);
        assert.deepEqual(await store.keyStores.get(SCOPE, STORE_1), external);
        await assert.rejects(
          store.keyStores.create(makeExternalKeyStore(SCOPE, STORE_2, 'https://xks.example.com:8443')),
          (error: unknown) => error instanceof DuplicateError && error.what === 'xks proxy uri',
        );
        // Another path at the same endpoint, or the same URI in another account, is another proxy.
        await store.keyStores.create(makeExternalKeyStore(SCOPE, STORE_2, 'https://xks.example.com:8443', {
          xksProxy: { ...external.xksProxy, uriPath: '/other/kms/xks/v1' },
        }));
        await store.keyStores.create(makeExternalKeyStore(OTHER_ACCOUNT, MISSING_STORE, 'https://xks.example.com:8443'));

        const first = makeKey(SCOPE, 'x1', { origin: 'EXTERNAL_KEY_STORE', customKeyStoreId: STORE_1, xksKeyId: 'external-1' });
        await store.keys.create(first, makeMaterial(first, 'x1-m1'));
        assert.equal((await store.keys.get(SCOPE, 'x1'))?.xksKeyId, 'external-1');
        const twin = makeKey(SCOPE, 'x2', { origin: 'EXTERNAL_KEY_STORE', customKeyStoreId: STORE_1, xksKeyId: 'external-1' });
        await assert.rejects(store.keys.create(twin, makeMaterial(twin, 'x2-m1')), DuplicateError);
        const elsewhere = makeKey(SCOPE, 'x3', { origin: 'EXTERNAL_KEY_STORE', customKeyStoreId: STORE_2, xksKeyId: 'external-1' });
        await store.keys.create(elsewhere, makeMaterial(elsewhere, 'x3-m1'));
      });
    });

    test('another process or node sees a store\'s changes once it has caught up', async () => {
      const first = await open();
      const second = await openAgain(first);
      try {
        await first.keyStores.registerCluster(makeCluster(CLUSTER_A));
        const created = makeKeyStore(SCOPE, STORE_1, CLUSTER_A);
        await first.keyStores.create(created);
        await nextRequest(second);
        assert.deepEqual(await second.keyStores.get(SCOPE, STORE_1), created);
        const connected = nextStoreRevision(created, { connectionState: 'CONNECTED' });
        await first.keyStores.update(connected);
        await nextRequest(second);
        assert.deepEqual(await second.keyStores.get(SCOPE, STORE_1), connected);
        await assert.rejects(second.keyStores.update(nextStoreRevision(created, { connectionState: 'FAILED' })), RevisionConflictError);
        await first.keyStores.delete(SCOPE, STORE_1);
        await nextRequest(second);
        assert.equal(await second.keyStores.get(SCOPE, STORE_1), undefined);
      } finally {
        await first.close();
        await second.close();
      }
    });
  });
}
