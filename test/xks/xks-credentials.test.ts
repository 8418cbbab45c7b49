import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PolicyCache } from '../../src/auth/policy/index.js';
import { RootKey } from '../../src/crypto/root-key.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { rewrapStore } from '../../src/server/root-of-trust/rewrap-store.js';
import type { IamContext } from '../../src/service/identities/iam-context.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { issueXksCredential, newXksAccessKeyId, newXksSecret, xksCredentialAad } from '../../src/xks/proxy/xks-credentials.js';

/* XKS credentials as ADR 0023 (Decision 2) and the specification's Appendix A have them. */

const directory = mkdtempSync(join(tmpdir(), 'strongroom-xks-credentials-'));
after(() => rmSync(directory, { recursive: true, force: true }));
let stores = 0;
const ACCOUNT = '111122223333';

async function withStore(body: (store: Store, iam: IamContext, rootKey: RootKey) => Promise<void>): Promise<void> {
  const store = await openSqliteStore({ path: join(directory, `store-${(stores += 1)}.db`) });
  const rootKey = RootKey.fromBytes(SecretBytes.random(32));
  try {
    await body(store, { identities: store.identities, rootKey, now: Date.now, policies: new PolicyCache(10) }, rootKey);
  } finally {
    await store.close();
  }
}

describe('XKS credentials', () => {
  test('access key ids are XKS and 21 random characters of [A-Z2-7]; secrets Base64 of 32 random bytes', () => {
    const ids = new Set(Array.from({ length: 100 }, newXksAccessKeyId));
    assert.equal(ids.size, 100);
    for (const id of ids) assert.match(id, /^XKS[A-Z2-7]{21}$/);
    const secret = newXksSecret().expose().toString('utf8');
    assert.match(secret, /^[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(secret, 'base64').length, 32);
  });

  test('issuing one creates its user when missing (else uses the user, in IAM\'s spelling) and stores the secret wrapped, bound to the id', async () => {
    await withStore(async (store, iam, rootKey) => {
      const first = await issueXksCredential(iam, store.xksCredentials, { accountId: ACCOUNT, userName: 'xks-proxy' });
      assert.equal(first.createdUser, true);
      assert.equal(first.user.arn, `arn:aws:iam::${ACCOUNT}:user/xks-proxy`);
      const stored = await store.xksCredentials.get(first.credential.accessKeyId);
      assert.deepEqual(stored, first.credential);
      const secret = first.secret.expose();
      assert.ok(!stored!.wrappedSecret.includes(secret), 'the secret does not rest in clear');
      assert.deepEqual(rootKey.unwrap(stored!.wrappedSecret, xksCredentialAad(stored!.accessKeyId)).expose(), secret);
      assert.throws(() => rootKey.unwrap(stored!.wrappedSecret, xksCredentialAad(newXksAccessKeyId())), { name: 'UnwrapFailedError' });

      const second = await issueXksCredential(iam, store.xksCredentials, { accountId: ACCOUNT, userName: 'XKS-PROXY' });
      assert.equal(second.createdUser, false);
      assert.equal(second.credential.userName, 'xks-proxy');
      assert.notEqual(second.credential.accessKeyId, first.credential.accessKeyId);
      assert.equal((await store.identities.listUsers(ACCOUNT)).length, 1);
    });
  });

  test('strongroom rewrap moves each to the new root of trust with the same AAD, and counts them', async () => {
    await withStore(async (store, iam, from) => {
      const issued = await issueXksCredential(iam, store.xksCredentials, { accountId: ACCOUNT, userName: 'xks-proxy' });
      const to = RootKey.fromBytes(SecretBytes.random(32));
      const moved = await rewrapStore(store, from, to, undefined);
      assert.equal(moved.xksCredentials, 1);
      const wrapped = (await store.xksCredentials.get(issued.credential.accessKeyId))!.wrappedSecret;
      const aad = xksCredentialAad(issued.credential.accessKeyId);
      assert.deepEqual(to.unwrap(wrapped, aad).expose(), issued.secret.expose());
      assert.throws(() => from.unwrap(wrapped, aad), { name: 'UnwrapFailedError' });
    });
  });
});
