import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { RootKey } from '../../src/crypto/root-key.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { rewrapStore } from '../../src/server/root-of-trust/rewrap-store.js';
import {
  keyStorePinAad, unwrapKeyStorePin, wrapKeyStorePin,
} from '../../src/service/custom-key-stores/key-store-pin.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { SCOPE, T0, makeCluster, makeKeyStore } from '../store/contract/fixtures.js';

const directory = mkdtempSync(join(tmpdir(), 'strongroom-key-store-pin-'));
after(() => rmSync(directory, { recursive: true, force: true }));

const STORE_ID = 'cks-0123456789abcdef0';
const PIN = 'kmsuser:Correct-Horse-7';

describe("a custom key store's wrapped PIN (ADR 0022)", () => {
  test('unwraps to the PIN for its store only: the AAD binds the store id', () => {
    const rootKey = RootKey.fromBytes(SecretBytes.random(32));
    const wrapped = wrapKeyStorePin(rootKey, STORE_ID, PIN);
    assert.ok(!wrapped.includes(Buffer.from(PIN, 'utf8')), 'the PIN does not rest in clear');
    assert.equal(unwrapKeyStorePin(rootKey, STORE_ID, wrapped), PIN);
    assert.throws(() => unwrapKeyStorePin(rootKey, 'cks-ffffffffffffffff0', wrapped), { name: 'UnwrapFailedError' });
    assert.throws(() => unwrapKeyStorePin(RootKey.fromBytes(SecretBytes.random(32)), STORE_ID, wrapped), { name: 'UnwrapFailedError' });
    assert.deepEqual(keyStorePinAad(STORE_ID), Buffer.from(`strongroom:custom-key-store-pin:${STORE_ID}`, 'utf8'));
  });

  test('strongroom rewrap moves it to the new root of trust with the same AAD, and counts it', async () => {
    const store = await openSqliteStore({ path: join(directory, 'store.db'), now: () => T0 });
    const from = RootKey.fromBytes(SecretBytes.random(32));
    const to = RootKey.fromBytes(SecretBytes.random(32));
    try {
      await store.keyStores.registerCluster(makeCluster('cluster-abcdefghijk'));
      await store.keyStores.create(makeKeyStore(SCOPE, STORE_ID, 'cluster-abcdefghijk', { wrappedPin: wrapKeyStorePin(from, STORE_ID, PIN) }));
      const moved = await rewrapStore(store, from, to, undefined);
      assert.equal(moved.keyStoreSecrets, 1);
      const stored = await store.keyStores.get(SCOPE, STORE_ID);
      assert.equal(stored?.type, 'AWS_CLOUDHSM');
      const wrapped = stored.wrappedPin;
      assert.equal(unwrapKeyStorePin(to, STORE_ID, wrapped), PIN);
      assert.throws(() => unwrapKeyStorePin(from, STORE_ID, wrapped), { name: 'UnwrapFailedError' });
    } finally {
      from.destroy();
      to.destroy();
      await store.close();
    }
  });
});
