import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { DuplicateError, type SecretRewrap, type XksCredential } from '../../../src/store/store.js';
import { OTHER_ACCOUNT, SCOPE, T0, makeAccessKey, withFreshStore, type OpenFreshStore, type ReopenStore } from './fixtures.js';

/*
 * The XKS proxy's credentials (ADR 0023, Decision 2; migration 6): stored, listed, deleted, their use recorded, kept
 * by development mode's reset with the IAM users they act as, and moved by `strongroom rewrap` with every other
 * wrapped secret.
 */

const FIRST = 'XKSAAAAAAAAAAAAAAAAAAAAA';
const SECOND = 'XKSBBBBBBBBBBBBBBBBBBBBB';
const THIRD = 'XKSCCCCCCCCCCCCCCCCCCCCC';

function makeXksCredential(accessKeyId: string, overrides: Partial<XksCredential> = {}): XksCredential {
  return { accessKeyId, accountId: SCOPE.accountId, userName: 'xks-proxy', wrappedSecret: randomBytes(72), createdAt: T0, ...overrides };
}

const PREFIX = Buffer.from('rewrapped:');

function rewrapOnlyXks(calls: string[], failAt?: string): SecretRewrap {
  const same = (_id: string, wrapped: Buffer) => wrapped;
  return {
    material: (_arn, _id, wrapped) => wrapped,
    accessKey: same,
    keyStoreSecret: (_id, _secret, wrapped) => wrapped,
    xksCredential: (accessKeyId, wrapped) => {
      calls.push(accessKeyId);
      if (accessKeyId === failAt) throw new Error('the new root refused');
      return Buffer.concat([PREFIX, wrapped]);
    },
    setting: () => undefined,
    putSettings: { 'root-key-check': 'new-check' },
    deleteSettings: [],
  };
}

/** The contract of `Store.xksCredentials`, with what `clearState` and `rewrapSecrets` do to them. */
export function xksCredentialContract(open: OpenFreshStore, openAgain: ReopenStore): void {
  describe('XKS proxy credentials', () => {
    test('are stored, read back field for field, listed by access key id (all, or one account\'s) and deleted', async () => {
      await withFreshStore(open, async (store) => {
        const second = makeXksCredential(SECOND, { lastUsedAt: T0 + 5 });
        const first = makeXksCredential(FIRST);
        const other = makeXksCredential(THIRD, { accountId: OTHER_ACCOUNT.accountId, userName: 'Proxy' });
        for (const credential of [second, first, other]) await store.xksCredentials.create(credential);
        assert.deepEqual(await store.xksCredentials.get(FIRST), first);
        assert.deepEqual(await store.xksCredentials.get(SECOND), second);
        assert.equal(await store.xksCredentials.get('XKSDDDDDDDDDDDDDDDDDDDDD'), undefined);
        assert.deepEqual(await store.xksCredentials.list(), [first, second, other]);
        assert.deepEqual(await store.xksCredentials.list(SCOPE.accountId), [first, second]);
        assert.deepEqual(await store.xksCredentials.list('999999999999'), []);
        assert.equal(await store.xksCredentials.delete(FIRST), true);
        assert.equal(await store.xksCredentials.delete(FIRST), false);
        assert.equal(await store.xksCredentials.get(FIRST), undefined);
      });
    });

    test('an access key id is unique', async () => {
      await withFreshStore(open, async (store) => {
        await store.xksCredentials.create(makeXksCredential(FIRST));
        await assert.rejects(store.xksCredentials.create(makeXksCredential(FIRST, { accountId: OTHER_ACCOUNT.accountId })), DuplicateError);
      });
    });

    test('recordUse sets lastUsedAt and never moves it back; an unknown id changes nothing', async () => {
      await withFreshStore(open, async (store) => {
        await store.xksCredentials.create(makeXksCredential(FIRST));
        await store.xksCredentials.recordUse(FIRST, T0 + 1000);
        assert.equal((await store.xksCredentials.get(FIRST))?.lastUsedAt, T0 + 1000);
        await store.xksCredentials.recordUse(FIRST, T0 + 500);
        assert.equal((await store.xksCredentials.get(FIRST))?.lastUsedAt, T0 + 1000);
        await store.xksCredentials.recordUse(FIRST, T0 + 2000);
        assert.equal((await store.xksCredentials.get(FIRST))?.lastUsedAt, T0 + 2000);
        await store.xksCredentials.recordUse(SECOND, T0);
        assert.equal(await store.xksCredentials.get(SECOND), undefined);
      });
    });

    test('a credential deleted through another store on the same storage is gone for this one at once', async () => {
      const first = await open();
      const second = await openAgain(first);
      try {
        await first.xksCredentials.create(makeXksCredential(FIRST));
        assert.ok(await first.xksCredentials.get(FIRST)); // now cached, if this store caches it
        assert.equal(await second.xksCredentials.delete(FIRST), true);
        // What a later request does: it arrives in a later event-loop turn and catches up first (Store.catchUp).
        await new Promise((resolve) => setImmediate(resolve));
        await first.catchUp();
        assert.equal(await first.xksCredentials.get(FIRST), undefined);
      } finally {
        await first.close();
        await second.close();
      }
    });

    test('clearState keeps them, and the IAM users they act as (names in any case), deleting every other user', async () => {
      await withFreshStore(open, async (store) => {
        const accountId = SCOPE.accountId;
        const user = (userName: string, userId: string) => ({
          accountId, userName, userId, arn: `arn:aws:iam::${accountId}:user/${userName}`, path: '/', createdAt: T0,
        });
        await store.identities.createUser(user('XKS-Proxy', 'AIDAXKSPROXY00000001'));
        await store.identities.createUser(user('alice', 'AIDAALICE00000000001'));
        await store.identities.createAccessKey(makeAccessKey('AKIAXKSUSERKEY000001', { principalArn: `arn:aws:iam::${accountId}:user/XKS-Proxy`, userName: 'XKS-Proxy' }));
        const credential = makeXksCredential(FIRST, { userName: 'xks-proxy' });
        await store.xksCredentials.create(credential);
        const cleared = await store.clearState();
        assert.equal(cleared.users, 1);
        assert.deepEqual(await store.xksCredentials.get(FIRST), credential);
        assert.deepEqual((await store.identities.listUsers(accountId)).map((kept) => kept.userName), ['XKS-Proxy']);
        // The user's IAM access keys go as every IAM user's do: only the XKS credential is configuration.
        assert.equal(await store.identities.getAccessKey('AKIAXKSUSERKEY000001'), undefined);
      });
    });

    test('rewrapSecrets rewraps each credential\'s secret and counts them, in the one transaction', async () => {
      await withFreshStore(open, async (store) => {
        const credentials = [makeXksCredential(FIRST), makeXksCredential(SECOND)];
        for (const credential of credentials) await store.xksCredentials.create(credential);
        const calls: string[] = [];
        const counts = await store.rewrapSecrets(rewrapOnlyXks(calls));
        assert.equal(counts.xksCredentials, 2);
        assert.deepEqual([...calls].sort(), [FIRST, SECOND]);
        for (const credential of credentials) {
          assert.deepEqual(await store.xksCredentials.get(credential.accessKeyId), {
            ...credential, wrappedSecret: Buffer.concat([PREFIX, credential.wrappedSecret]),
          });
        }
      });
    });

    test('a rewrap failing at a credential changes no credential', async () => {
      await withFreshStore(open, async (store) => {
        const credentials = [makeXksCredential(FIRST), makeXksCredential(SECOND)];
        for (const credential of credentials) await store.xksCredentials.create(credential);
        await assert.rejects(store.rewrapSecrets(rewrapOnlyXks([], SECOND)), /the new root refused/);
        for (const credential of credentials) assert.deepEqual(await store.xksCredentials.get(credential.accessKeyId), credential);
        assert.equal(await store.settings.get('root-key-check'), undefined);
      });
    });
  });
}
