import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { DuplicateError } from '../../../src/store/store.js';
import { SCOPE, T0, daysAfterT0, makeAccessKey, withFreshStore, type OpenFreshStore } from './fixtures.js';

/** The identity and settings repositories' contract. */
export function identityContract(open: OpenFreshStore): void {
  describe('identities', () => {
    test('accounts: create, get, list by id; a duplicate is refused with DuplicateError', async () => {
      await withFreshStore(open, async (store) => {
        await store.identities.createAccount({ id: '999999999999', createdAt: T0 });
        await store.identities.createAccount({ id: '000000000000', createdAt: daysAfterT0(1) });
        await assert.rejects(store.identities.createAccount({ id: '000000000000', createdAt: T0 }), DuplicateError);
        assert.deepEqual(await store.identities.getAccount('000000000000'), { id: '000000000000', createdAt: daysAfterT0(1) });
        assert.equal(await store.identities.getAccount('123456789012'), undefined);
        assert.deepEqual((await store.identities.listAccounts()).map((account) => account.id), ['000000000000', '999999999999']);
      });
    });

    test('an access key round-trips exactly, with or without its optional fields', async () => {
      await withFreshStore(open, async (store) => {
        const minimal = makeAccessKey('AKIAMINIMAL000000001');
        const temporary = makeAccessKey('ASIATEMPORARY0000001', {
          principalArn: `arn:aws:sts::${SCOPE.accountId}:assumed-role/admin/session`,
          principalType: 'AssumedRole',
          principalId: 'AROAEXAMPLEADMIN0001:session',
          userName: 'admin',
          status: 'Inactive',
          expiresAt: daysAfterT0(1),
          sessionTokenHash: createHash('sha256').update(randomBytes(32)).digest(),
        });
        await store.identities.createAccessKey(minimal);
        await store.identities.createAccessKey(temporary);
        const read = await store.identities.getAccessKey('AKIAMINIMAL000000001');
        assert.deepEqual(read, minimal);
        for (const field of ['userName', 'expiresAt', 'sessionTokenHash'] as const) {
          assert.equal(read !== undefined && field in read, false, field);
        }
        assert.deepEqual(await store.identities.getAccessKey('ASIATEMPORARY0000001'), temporary);
        assert.equal(await store.identities.getAccessKey('AKIAUNKNOWN000000001'), undefined);
      });
    });

    test('a duplicate access key id is refused with DuplicateError, keeping the first', async () => {
      await withFreshStore(open, async (store) => {
        const first = makeAccessKey('AKIADUPLICATE0000001');
        await store.identities.createAccessKey(first);
        await assert.rejects(store.identities.createAccessKey(makeAccessKey('AKIADUPLICATE0000001')), DuplicateError);
        assert.deepEqual(await store.identities.getAccessKey('AKIADUPLICATE0000001'), first);
      });
    });

    test('access keys list by principal, oldest first; delete removes one', async () => {
      await withFreshStore(open, async (store) => {
        const bob = `arn:aws:iam::${SCOPE.accountId}:user/bob`;
        const newer = makeAccessKey('AKIAALICENEWER000001', { createdAt: daysAfterT0(2) });
        const older = makeAccessKey('AKIAALICEOLDER000001', { createdAt: daysAfterT0(1) });
        await store.identities.createAccessKey(newer);
        await store.identities.createAccessKey(older);
        await store.identities.createAccessKey(makeAccessKey('AKIABOB0000000000001', { principalArn: bob }));
        const alice = newer.principalArn;
        assert.deepEqual(await store.identities.listAccessKeys(alice), [older, newer]);
        await store.identities.deleteAccessKey('AKIAALICEOLDER000001');
        assert.deepEqual(await store.identities.listAccessKeys(alice), [newer]);
        assert.equal(await store.identities.getAccessKey('AKIAALICEOLDER000001'), undefined);
        assert.equal((await store.identities.listAccessKeys(bob)).length, 1);
        assert.deepEqual(await store.identities.listAccessKeys(`arn:aws:iam::${SCOPE.accountId}:user/carol`), []);
        await store.identities.deleteAccessKey('AKIAALICEOLDER000001');
      });
    });
  });

  describe('access key status', () => {
    test("setAccessKeyStatus changes that key's status only, back and forth; an unknown key changes nothing", async () => {
      await withFreshStore(open, async (store) => {
        const key = makeAccessKey('AKIASTATUS0000000001');
        const other = makeAccessKey('AKIASTATUS0000000002');
        await store.identities.createAccessKey(key);
        await store.identities.createAccessKey(other);
        await store.identities.setAccessKeyStatus(key.accessKeyId, 'Inactive');
        assert.deepEqual(await store.identities.getAccessKey(key.accessKeyId), { ...key, status: 'Inactive' });
        assert.deepEqual(await store.identities.getAccessKey(other.accessKeyId), other);
        await store.identities.setAccessKeyStatus(key.accessKeyId, 'Active');
        assert.deepEqual(await store.identities.getAccessKey(key.accessKeyId), key);
        await store.identities.setAccessKeyStatus('AKIANOSUCHKEY0000001', 'Inactive');
        assert.equal(await store.identities.getAccessKey('AKIANOSUCHKEY0000001'), undefined);
      });
    });
  });

  describe('expired temporary credentials', () => {
    test('deleteExpiredAccessKeys removes keys expired at or before now, and nothing else', async () => {
      await withFreshStore(open, async (store) => {
        await store.identities.createAccessKey(makeAccessKey('AKIALONGTERM00000001'));
        await store.identities.createAccessKey(makeAccessKey('ASIAEXPIRED000000001', { expiresAt: daysAfterT0(1) }));
        await store.identities.createAccessKey(makeAccessKey('ASIAEXPIRING00000001', { expiresAt: daysAfterT0(2) }));
        await store.identities.createAccessKey(makeAccessKey('ASIALATER00000000001', { expiresAt: daysAfterT0(3) }));
        assert.equal(await store.identities.deleteExpiredAccessKeys(daysAfterT0(2)), 2);
        assert.equal(await store.identities.getAccessKey('ASIAEXPIRED000000001'), undefined);
        assert.equal(await store.identities.getAccessKey('ASIAEXPIRING00000001'), undefined);
        assert.notEqual(await store.identities.getAccessKey('ASIALATER00000000001'), undefined);
        assert.notEqual(await store.identities.getAccessKey('AKIALONGTERM00000001'), undefined);
        assert.equal(await store.identities.deleteExpiredAccessKeys(daysAfterT0(2)), 0);
      });
    });
  });

  describe('settings', () => {
    test('a setting reads back what was last put; an unknown one is undefined', async () => {
      await withFreshStore(open, async (store) => {
        assert.equal(await store.settings.get('default-account'), undefined);
        await store.settings.put('default-account', '111122223333');
        await store.settings.put('motd', '');
        assert.equal(await store.settings.get('default-account'), '111122223333');
        await store.settings.put('default-account', '444455556666');
        assert.equal(await store.settings.get('default-account'), '444455556666');
        assert.equal(await store.settings.get('motd'), '');
      });
    });
  });
}
