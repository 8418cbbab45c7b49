import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { CloudHsmKeyStore, CustomKeyStore, ExternalKeyStore } from '../../../src/keys/custom-key-store.js';
import type { KeyMaterial, KmsKey } from '../../../src/keys/key.js';
import type { AccessKey, SecretRewrap, Store } from '../../../src/store/store.js';
import {
  OTHER_ACCOUNT, SCOPE, makeAccessKey, makeCluster, makeKey, makeExternalKeyStore, makeKeyStore, makeMaterial, nextRevision, withFreshStore,
  type OpenFreshStore,
} from './fixtures.js';

/*
 * `Store.rewrapSecrets` (`strongroom rewrap`): every wrapped secret replaced, the new root's settings written and
 * the old one's deleted, in one transaction — a callback failing half way leaves the store exactly as it was.
 */

const WRAPPED_SETTINGS = ['audit-signing-key', 'grant-token-key'];
/** Every setting `fill` writes, and two that rewrapSecrets writes or is asked to delete. */
const SETTING_NAMES = [...WRAPPED_SETTINGS, 'default-account-id', 'root-of-trust', 'root-key-check', 'new-setting', 'never-existed'];
const ACCESS_KEY_IDS = ['AKIAREWRAPROOT000001', 'AKIAREWRAPUSER000001'];
const KEY_STORE_ID = 'cks-0123456789abcdef0';
const EXTERNAL_KEY_STORE_ID = 'cks-0123456789abcdef1';

/**
 * What the test stored: keys (one with two material versions, one in another account), access keys, a CloudHSM key
 * store (with its token user's wrapped PIN) holding a third key, and an external key store (its proxy secret wrapped).
 */
interface Filled {
  readonly keys: readonly KmsKey[];
}

async function fill(store: Store): Promise<Filled> {
  const first = makeKey(SCOPE, 'k1');
  const second = makeKey(OTHER_ACCOUNT, 'k2');
  await store.keys.create(first, makeMaterial(first, 'k1-m1'));
  await store.keys.update(nextRevision(first, { currentMaterialId: 'k1-m2' }), makeMaterial(first, 'k1-m2'));
  await store.keys.create(second, makeMaterial(second, 'k2-m1'));
  await store.keyStores.registerCluster(makeCluster('cluster-rewrapabcdef'));
  await store.keyStores.create(makeKeyStore(SCOPE, KEY_STORE_ID, 'cluster-rewrapabcdef'));
  // A key in the store has no material row: its key is an object in the token (ADR 0022).
  const inStore = makeKey(SCOPE, 'k3', { origin: 'AWS_CLOUDHSM', customKeyStoreId: KEY_STORE_ID });
  await store.keys.create(inStore);
  await store.keyStores.create(makeExternalKeyStore(SCOPE, EXTERNAL_KEY_STORE_ID, 'https://xks.example.com'));
  await store.identities.createAccessKey(makeAccessKey(ACCESS_KEY_IDS[0]!, {
    principalArn: `arn:aws:iam::${SCOPE.accountId}:root`, principalType: 'Root', principalId: SCOPE.accountId,
  }));
  await store.identities.createAccessKey(makeAccessKey(ACCESS_KEY_IDS[1]!, { userName: 'alice' }));
  for (const name of WRAPPED_SETTINGS) await store.settings.put(name, randomBytes(48).toString('base64'));
  await store.settings.put('default-account-id', SCOPE.accountId);
  await store.settings.put('root-of-trust', '{"kind":"passphrase","check":"0011223344556677"}');
  await store.settings.put('root-key-check', 'old-check');
  return { keys: [first, second, inStore] };
}

/** Everything rewrapSecrets may touch, read through the store's interface. */
interface Contents {
  readonly materials: KeyMaterial[];
  readonly accessKeys: Array<AccessKey | undefined>;
  readonly keyStore: CustomKeyStore | undefined;
  readonly externalKeyStore: CustomKeyStore | undefined;
  readonly settings: Record<string, string | undefined>;
}

async function contentsOf(store: Store, filled: Filled): Promise<Contents> {
  const materials: KeyMaterial[] = [];
  for (const key of filled.keys) materials.push(...(await store.keys.listMaterials(key.arn)));
  const accessKeys = await Promise.all(ACCESS_KEY_IDS.map((id) => store.identities.getAccessKey(id)));
  const settings: Record<string, string | undefined> = {};
  for (const name of SETTING_NAMES) settings[name] = await store.settings.get(name);
  const keyStore = await store.keyStores.get(SCOPE, KEY_STORE_ID);
  const externalKeyStore = await store.keyStores.get(SCOPE, EXTERNAL_KEY_STORE_ID);
  return { materials, accessKeys, keyStore, externalKeyStore, settings };
}

const PREFIX = Buffer.from('rewrapped:');

function externalStore(store: CustomKeyStore | undefined): ExternalKeyStore {
  if (store?.type !== 'EXTERNAL_KEY_STORE') throw new Error('the filled store has an external key store');
  return store;
}

function cloudHsm(store: CustomKeyStore | undefined): CloudHsmKeyStore {
  if (store?.type !== 'AWS_CLOUDHSM') throw new Error('the filled store has a CloudHSM key store');
  return store;
}

/** A rewrap that prefixes every secret and records what it was given; `failAt` makes one call throw. */
function prefixingRewrap(calls: string[], failAt?: (call: string) => boolean): SecretRewrap {
  const note = (call: string) => {
    calls.push(call);
    if (failAt?.(call) === true) throw new Error(`the new root refused ${call}`);
  };
  return {
    material: (keyArn, materialId, wrapped) => (note(`material ${keyArn} ${materialId}`), Buffer.concat([PREFIX, wrapped])),
    accessKey: (accessKeyId, wrapped) => (note(`access key ${accessKeyId}`), Buffer.concat([PREFIX, wrapped])),
    keyStoreSecret: (keyStoreId, secret, wrapped) => (note(`key store ${keyStoreId} ${secret}`), Buffer.concat([PREFIX, wrapped])),
    xksCredential: (accessKeyId, wrapped) => (note(`xks credential ${accessKeyId}`), Buffer.concat([PREFIX, wrapped])),
    setting: (name, value) => {
      if (!WRAPPED_SETTINGS.includes(name)) return undefined;
      note(`setting ${name}`);
      return `${PREFIX.toString('utf8')}${value}`;
    },
    putSettings: { 'root-key-check': 'new-check', 'new-setting': 'written' },
    deleteSettings: ['root-of-trust', 'never-existed'],
  };
}

/** The contract of `Store.rewrapSecrets`. */
export function rewrapContract(open: OpenFreshStore): void {
  describe('rewrapSecrets (strongroom rewrap)', () => {
    test('rewraps every key material version, access key and key store PIN and the settings the callback names, counting them', async () => {
      await withFreshStore(open, async (store) => {
        const filled = await fill(store);
        const before = await contentsOf(store, filled);
        const calls: string[] = [];
        const counts = await store.rewrapSecrets(prefixingRewrap(calls));
        assert.deepEqual(counts, { materials: 3, accessKeys: 2, keyStoreSecrets: 2, xksCredentials: 0, settings: 2 });
        const after = await contentsOf(store, filled);
        // Only the wrapped bytes change: every other field of a record stays as it was.
        assert.deepEqual(after.materials, before.materials.map((material) => ({ ...material, wrapped: Buffer.concat([PREFIX, material.wrapped]) })));
        assert.deepEqual(after.accessKeys, before.accessKeys.map((key) => key && { ...key, wrappedSecret: Buffer.concat([PREFIX, key.wrappedSecret]) }));
        for (const name of WRAPPED_SETTINGS) assert.equal(after.settings[name], `${PREFIX.toString('utf8')}${before.settings[name]}`, name);
        // A key store's row is a revisioned record: the PIN's change moves its revision, so a concurrent update conflicts.
        const keyStore = cloudHsm(before.keyStore);
        assert.deepEqual(after.keyStore, { ...keyStore, wrappedPin: Buffer.concat([PREFIX, keyStore.wrappedPin]), revision: 2 });
        const external = externalStore(before.externalKeyStore);
        assert.deepEqual(after.externalKeyStore, {
          ...external,
          xksProxy: { ...external.xksProxy, wrappedSecret: Buffer.concat([PREFIX, external.xksProxy.wrappedSecret]) },
          revision: 2,
        });
        // Each secret was given to its callback exactly once, with what the store held.
        assert.deepEqual([...calls].sort(), [
          ...ACCESS_KEY_IDS.map((id) => `access key ${id}`),
          `key store ${KEY_STORE_ID} pin`,
          `key store ${EXTERNAL_KEY_STORE_ID} xks-proxy-secret`,
          ...before.materials.map((material) => `material ${material.keyArn} ${material.id}`),
          ...WRAPPED_SETTINGS.map((name) => `setting ${name}`),
        ].sort());
      });
    });

    test('the callback is given the stored wrapped bytes and the setting values as they are', async () => {
      await withFreshStore(open, async (store) => {
        const filled = await fill(store);
        const before = await contentsOf(store, filled);
        const seen = new Map<string, Buffer | string>();
        await store.rewrapSecrets({
          material: (keyArn, materialId, wrapped) => (seen.set(`${keyArn}/${materialId}`, Buffer.from(wrapped)), wrapped),
          accessKey: (accessKeyId, wrapped) => (seen.set(accessKeyId, Buffer.from(wrapped)), wrapped),
          keyStoreSecret: (keyStoreId, secret, wrapped) => (seen.set(`${keyStoreId} ${secret}`, Buffer.from(wrapped)), wrapped),
          xksCredential: (_accessKeyId, wrapped) => wrapped,
          setting: (name, value) => (seen.set(name, value), undefined),
          putSettings: {},
          deleteSettings: [],
        });
        for (const material of before.materials) assert.deepEqual(seen.get(`${material.keyArn}/${material.id}`), material.wrapped);
        for (const key of before.accessKeys) assert.deepEqual(seen.get(key!.accessKeyId), key!.wrappedSecret);
        assert.deepEqual(seen.get(`${KEY_STORE_ID} pin`), cloudHsm(before.keyStore).wrappedPin);
        assert.deepEqual(seen.get(`${EXTERNAL_KEY_STORE_ID} xks-proxy-secret`), externalStore(before.externalKeyStore).xksProxy.wrappedSecret);
        for (const name of ['default-account-id', 'root-of-trust', ...WRAPPED_SETTINGS]) assert.equal(seen.get(name), before.settings[name], name);
      });
    });

    test('writes putSettings, deletes deleteSettings (an absent one too) and leaves every other setting alone', async () => {
      await withFreshStore(open, async (store) => {
        const filled = await fill(store);
        await store.rewrapSecrets(prefixingRewrap([]));
        const { settings } = await contentsOf(store, filled);
        assert.equal(settings['root-key-check'], 'new-check');
        assert.equal(settings['new-setting'], 'written');
        assert.equal(settings['root-of-trust'], undefined);
        assert.equal(settings['never-existed'], undefined);
        assert.equal(settings['default-account-id'], SCOPE.accountId);
      });
    });

    test('an empty store rewraps nothing and still records the new root', async () => {
      await withFreshStore(open, async (store) => {
        const counts = await store.rewrapSecrets(prefixingRewrap([]));
        assert.deepEqual(counts, { materials: 0, accessKeys: 0, keyStoreSecrets: 0, xksCredentials: 0, settings: 0 });
        assert.equal(await store.settings.get('root-key-check'), 'new-check');
      });
    });

    /** Where a callback throws, each a fresh predicate over the calls made so far. */
    const failures: ReadonlyArray<readonly [string, () => (call: string) => boolean]> = [
      ['the second key material version', () => {
        let materials = 0;
        return (call) => call.startsWith('material') && ++materials === 2;
      }],
      ['an access key', () => (call) => call === `access key ${ACCESS_KEY_IDS[1]}`],
      ['a key store PIN', () => (call) => call === `key store ${KEY_STORE_ID} pin`],
      ['an external key store\'s proxy secret', () => (call) => call === `key store ${EXTERNAL_KEY_STORE_ID} xks-proxy-secret`],
      ['a wrapped setting', () => (call) => call === `setting ${WRAPPED_SETTINGS[1]}`],
    ];

    for (const [where, failAtOf] of failures) {
      test(`a callback throwing at ${where} changes nothing: one transaction, and the store stays usable`, async () => {
        await withFreshStore(open, async (store) => {
          const filled = await fill(store);
          const before = await contentsOf(store, filled);
          const calls: string[] = [];
          await assert.rejects(store.rewrapSecrets(prefixingRewrap(calls, failAtOf())), /the new root refused/);
          assert.ok(calls.length > 1, `secrets were rewrapped before the failure: ${calls.join(', ')}`);
          assert.deepEqual(await contentsOf(store, filled), before);
          // The transaction is over: the next write and the next rewrap go through.
          await store.settings.put('after-the-failure', 'yes');
          assert.deepEqual(await store.rewrapSecrets(prefixingRewrap([])), { materials: 3, accessKeys: 2, keyStoreSecrets: 2, xksCredentials: 0, settings: 2 });
          assert.equal(await store.settings.get('root-key-check'), 'new-check');
        });
      });
    }
  });
}
