import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { ADMINISTRATOR_ACCOUNT_SETTING, type Store } from '../../../src/store/store.js';
import {
  OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0, makeAccessKey, makeAlias, makeCluster, makeKey, makeKeyStore, makeMaterial,
  withFreshStore, type OpenFreshStore,
} from './fixtures.js';

const ACCOUNT = SCOPE.accountId;
const ROOT_ARN = `arn:aws:iam::${ACCOUNT}:root`;
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/deployer`;
const CLUSTER_ID = 'cluster-resetabcdefg';
const KEY_STORE_ID = 'cks-0123456789abcdef0';

/**
 * A store holding one of everything: keys in two accounts and regions, a custom key store on a registered cluster
 * with a key in it, and every kind of identity.
 */
async function fill(store: Store): Promise<void> {
  await store.keyStores.registerCluster(makeCluster(CLUSTER_ID));
  await store.keyStores.create(makeKeyStore(OTHER_ACCOUNT, KEY_STORE_ID, CLUSTER_ID));
  const keys = [
    makeKey(SCOPE, 'k1'), makeKey(OTHER_ACCOUNT, 'k2'), makeKey(OTHER_REGION, 'k3'),
    makeKey(OTHER_ACCOUNT, 'k4', { origin: 'AWS_CLOUDHSM', customKeyStoreId: KEY_STORE_ID }),
  ];
  for (const key of keys) await store.keys.create(key, makeMaterial(key, `${key.id}-m1`));
  await store.keys.update({ ...keys[0]!, revision: 2 }, makeMaterial(keys[0]!, 'k1-m2'));
  await store.aliases.create(makeAlias(SCOPE, 'alias/app', 'k1'));
  await store.aliases.create(makeAlias(OTHER_ACCOUNT, 'alias/app', 'k2'));
  await store.grants.create({
    keyArn: keys[0]!.arn, grantId: 'g1', granteePrincipal: USER_ARN, operations: ['Decrypt'], issuingAccount: ACCOUNT,
    createdAt: T0, tokenHash: createHash('sha256').update('g1').digest(),
  });
  await store.identities.createAccount({ id: ACCOUNT, createdAt: T0 });
  await store.identities.createAccessKey(makeAccessKey('AKIAROOTKEY000000001', {
    principalArn: ROOT_ARN, principalType: 'Root', principalId: ACCOUNT,
  }));
  await store.identities.createUser({ accountId: ACCOUNT, userName: 'alice', userId: 'AIDAALICE000000000001', arn: USER_ARN, path: '/', createdAt: T0 });
  await store.identities.createAccessKey(makeAccessKey('AKIAUSERKEY000000001', { userName: 'alice' }));
  await store.identities.putPolicy({ principalArn: USER_ARN, policyName: 'kms', document: '{"Version":"2012-10-17","Statement":[]}' });
  await store.identities.createRole({
    accountId: ACCOUNT, roleName: 'deployer', roleId: 'AROADEPLOYER000000001', arn: ROLE_ARN, path: '/',
    trustPolicy: '{"Version":"2012-10-17","Statement":[]}', maxSessionDurationSeconds: 3600, createdAt: T0,
  });
  await store.identities.createAccessKey(makeAccessKey('ASIASESSION000000001', {
    principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/s1`, principalType: 'AssumedRole',
    principalId: 'AROADEPLOYER000000001:s1', expiresAt: T0 + 3_600_000, sessionTokenHash: Buffer.alloc(32, 1),
  }));
  await store.settings.put(ADMINISTRATOR_ACCOUNT_SETTING, ACCOUNT);
}

/** The contract of development mode's reset (`Store.clearState`, `Store.onStateCleared`). */
export function clearStateContract(open: OpenFreshStore): void {
  describe('clearState (development mode reset)', () => {
    test('deletes keys, material, aliases, grants, custom key stores, IAM users, roles, policies and their keys in every account', async () => {
      await withFreshStore(open, async (store) => {
        await fill(store);
        const cleared = await store.clearState();
        assert.deepEqual(cleared, { keys: 4, aliases: 2, grants: 1, users: 1, roles: 1, policies: 1, accessKeys: 2, keyStores: 1 });
        assert.equal(await store.keyStores.get(OTHER_ACCOUNT, KEY_STORE_ID), undefined);
        assert.deepEqual((await store.keyStores.list(OTHER_ACCOUNT, { limit: 10 })).items, []);
        for (const scope of [SCOPE, OTHER_ACCOUNT, OTHER_REGION]) {
          assert.deepEqual((await store.keys.list(scope, { limit: 10 })).items, []);
          assert.deepEqual((await store.aliases.list(scope, { limit: 10 })).items, []);
        }
        assert.equal(await store.keys.get(SCOPE, 'k1'), undefined);
        assert.deepEqual(await store.keys.listMaterials(makeKey(SCOPE, 'k1').arn), []);
        assert.deepEqual(await store.grants.listAll(makeKey(SCOPE, 'k1').arn), []);
        assert.deepEqual(await store.identities.listUsers(ACCOUNT), []);
        assert.deepEqual(await store.identities.listRoles(ACCOUNT), []);
        assert.deepEqual(await store.identities.listPolicies(USER_ARN), []);
        assert.equal(await store.identities.getAccessKey('AKIAUSERKEY000000001'), undefined);
        assert.equal(await store.identities.getAccessKey('ASIASESSION000000001'), undefined);
      });
    });

    test('keeps accounts, their root access keys, the settings and the registered HSM clusters', async () => {
      await withFreshStore(open, async (store) => {
        await fill(store);
        await store.clearState();
        assert.deepEqual((await store.keyStores.listClusters()).map((cluster) => cluster.clusterId), [CLUSTER_ID]);
        // The cluster is free again: a store may be made on it, and it may be removed.
        await store.keyStores.create(makeKeyStore(SCOPE, KEY_STORE_ID, CLUSTER_ID));
        await store.keyStores.delete(SCOPE, KEY_STORE_ID);
        assert.equal(await store.keyStores.removeCluster(CLUSTER_ID), true);
        assert.deepEqual((await store.identities.listAccounts()).map((account) => account.id), [ACCOUNT]);
        assert.equal((await store.identities.getAccessKey('AKIAROOTKEY000000001'))?.principalType, 'Root');
        assert.equal(await store.settings.get(ADMINISTRATOR_ACCOUNT_SETTING), ACCOUNT);
      });
    });

    test('a key can be made again with the same id, at revision 1', async () => {
      await withFreshStore(open, async (store) => {
        await fill(store);
        await store.clearState();
        const again = makeKey(SCOPE, 'k1');
        await store.keys.create(again, makeMaterial(again, 'k1-m1'));
        await store.aliases.create(makeAlias(SCOPE, 'alias/app', 'k1'));
        assert.equal((await store.keys.get(SCOPE, 'k1'))?.revision, 1);
        assert.deepEqual((await store.keys.listMaterials(again.arn)).map((material) => material.id), ['k1-m1']);
      });
    });

    test('listeners run once per reset, before clearState resolves; an empty store clears to zero counts', async () => {
      await withFreshStore(open, async (store) => {
        let calls = 0;
        store.onStateCleared(() => (calls += 1));
        await store.keys.create(makeKey(SCOPE, 'k1'), makeMaterial(makeKey(SCOPE, 'k1'), 'm'));
        await store.keys.get(SCOPE, 'k1');
        assert.equal(calls, 0, 'no reset yet');
        await store.clearState();
        assert.equal(calls, 1);
        await store.keys.get(SCOPE, 'k1');
        assert.equal(calls, 1, 'seen once only');
        const empty = await store.clearState();
        assert.deepEqual(empty, { keys: 0, aliases: 0, grants: 0, users: 0, roles: 0, policies: 0, accessKeys: 0, keyStores: 0 });
        assert.equal(calls, 2);
      });
    });
  });
}
