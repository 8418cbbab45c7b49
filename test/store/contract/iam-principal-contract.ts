import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DuplicateError, type IamRole, type IamUser } from '../../../src/store/store.js';
import { OTHER_ACCOUNT, SCOPE, T0, daysAfterT0, withFreshStore, type OpenFreshStore } from './fixtures.js';

const ACCOUNT = SCOPE.accountId;

function makeUser(name: string, accountId = ACCOUNT, path = '/'): IamUser {
  return {
    accountId,
    userName: name,
    userId: `AIDA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    arn: `arn:aws:iam::${accountId}:user${path}${name}`,
    path,
    createdAt: T0,
  };
}

function makeRole(name: string, extra: Partial<IamRole> = {}): IamRole {
  return {
    accountId: ACCOUNT,
    roleName: name,
    roleId: `AROA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    path: '/',
    trustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${ACCOUNT}:root"},"Action":"sts:AssumeRole"}]}`,
    maxSessionDurationSeconds: 3600,
    createdAt: daysAfterT0(1),
    ...extra,
  };
}

/** The contract of IAM users, roles and inline identity policies (part of the identity repository). */
export function iamPrincipalContract(open: OpenFreshStore): void {
  describe('IAM users, roles and inline policies', () => {
    test('users: create, get, list by name per account; delete removes one', async () => {
      await withFreshStore(open, async (store) => {
        const bob = makeUser('bob', ACCOUNT, '/engineering/');
        await store.identities.createUser(bob);
        await store.identities.createUser(makeUser('alice'));
        await store.identities.createUser(makeUser('zed', OTHER_ACCOUNT.accountId));
        assert.deepEqual(await store.identities.getUser(ACCOUNT, 'bob'), bob);
        assert.equal(await store.identities.getUser(OTHER_ACCOUNT.accountId, 'bob'), undefined);
        assert.deepEqual((await store.identities.listUsers(ACCOUNT)).map((user) => user.userName), ['alice', 'bob']);
        await store.identities.deleteUser(ACCOUNT, 'bob');
        assert.equal(await store.identities.getUser(ACCOUNT, 'bob'), undefined);
        assert.deepEqual((await store.identities.listUsers(ACCOUNT)).map((user) => user.userName), ['alice']);
        await store.identities.deleteUser(ACCOUNT, 'bob');
      });
    });

    test('user names are unique per account regardless of case, and found regardless of case', async () => {
      await withFreshStore(open, async (store) => {
        const first = makeUser('Deploy');
        await store.identities.createUser(first);
        await assert.rejects(store.identities.createUser({ ...makeUser('deploy'), userId: 'AIDAOTHERID000000001' }), DuplicateError);
        await store.identities.createUser({ ...makeUser('deploy', OTHER_ACCOUNT.accountId), userId: 'AIDAOTHERID000000002' });
        assert.deepEqual(await store.identities.getUser(ACCOUNT, 'DEPLOY'), first);
      });
    });

    test('roles round-trip exactly, with or without a description; duplicates are refused', async () => {
      await withFreshStore(open, async (store) => {
        const plain = makeRole('reader');
        const described = makeRole('writer', { description: 'writes things', maxSessionDurationSeconds: 43_200, path: '/app/' });
        await store.identities.createRole(plain);
        await store.identities.createRole(described);
        const read = await store.identities.getRole(ACCOUNT, 'reader');
        assert.deepEqual(read, plain);
        assert.equal(read !== undefined && 'description' in read, false);
        assert.deepEqual(await store.identities.getRole(ACCOUNT, 'WRITER'), described);
        await assert.rejects(store.identities.createRole({ ...makeRole('Reader'), roleId: 'AROAOTHERID000000001' }), DuplicateError);
        assert.deepEqual((await store.identities.listRoles(ACCOUNT)).map((role) => role.roleName), ['reader', 'writer']);
        assert.deepEqual(await store.identities.listRoles(OTHER_ACCOUNT.accountId), []);
        await store.identities.deleteRole(ACCOUNT, 'reader');
        assert.equal(await store.identities.getRole(ACCOUNT, 'reader'), undefined);
      });
    });

    test("a role's trust policy is replaced by name in any case, in its account only; the rest of the role stays", async () => {
      await withFreshStore(open, async (store) => {
        const role = makeRole('Rotating', { description: 'kept' });
        const elsewhere = { ...makeRole('rotating'), accountId: OTHER_ACCOUNT.accountId, roleId: 'AROAOTHERID000000003' };
        await store.identities.createRole(role);
        await store.identities.createRole(elsewhere);
        const replaced = role.trustPolicy.replace(':root', ':user/ops');
        await store.identities.setRoleTrustPolicy(ACCOUNT, 'ROTATING', replaced);
        assert.deepEqual(await store.identities.getRole(ACCOUNT, 'rotating'), { ...role, trustPolicy: replaced });
        assert.deepEqual(await store.identities.getRole(OTHER_ACCOUNT.accountId, 'rotating'), elsewhere);
        await store.identities.setRoleTrustPolicy(ACCOUNT, 'nobody', replaced); // no such role: nothing happens
        assert.deepEqual((await store.identities.listRoles(ACCOUNT)).map((listed) => listed.roleName), ['Rotating']);
      });
    });

    test('inline policies: put creates or replaces, list by name per principal, delete removes one', async () => {
      await withFreshStore(open, async (store) => {
        const bob = makeUser('bob').arn;
        const role = makeRole('reader').arn;
        await store.identities.putPolicy({ principalArn: bob, policyName: 'kms-use', document: '{"v":1}' });
        await store.identities.putPolicy({ principalArn: bob, policyName: 'audit', document: '{"v":2}' });
        await store.identities.putPolicy({ principalArn: role, policyName: 'kms-use', document: '{"v":3}' });
        await store.identities.putPolicy({ principalArn: bob, policyName: 'kms-use', document: '{"v":4}' });
        assert.deepEqual(await store.identities.getPolicy(bob, 'kms-use'), { principalArn: bob, policyName: 'kms-use', document: '{"v":4}' });
        assert.deepEqual(
          (await store.identities.listPolicies(bob)).map((policy) => [policy.policyName, policy.document]),
          [['audit', '{"v":2}'], ['kms-use', '{"v":4}']],
        );
        assert.equal((await store.identities.listPolicies(role)).length, 1);
        await store.identities.deletePolicy(bob, 'kms-use');
        assert.equal(await store.identities.getPolicy(bob, 'kms-use'), undefined);
        assert.deepEqual((await store.identities.listPolicies(bob)).map((policy) => policy.policyName), ['audit']);
        assert.deepEqual(await store.identities.listPolicies(`arn:aws:iam::${ACCOUNT}:user/nobody`), []);
      });
    });

    test('replacing a policy under a differently cased name keeps one policy', async () => {
      await withFreshStore(open, async (store) => {
        const bob = makeUser('bob').arn;
        await store.identities.putPolicy({ principalArn: bob, policyName: 'KmsUse', document: '{"v":1}' });
        await store.identities.putPolicy({ principalArn: bob, policyName: 'kmsuse', document: '{"v":2}' });
        const policies = await store.identities.listPolicies(bob);
        assert.equal(policies.length, 1);
        assert.equal(policies[0]?.document, '{"v":2}');
      });
    });
  });
}
