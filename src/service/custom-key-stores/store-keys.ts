import { GCM_TAG_BYTES, type AesGcmSealed, type ExternalAesGcmKey } from '../../crypto/aead.js';
import { DecryptionFailedError } from '../../crypto/crypto-errors.js';
import { SecretBytes } from '../../crypto/secret-bytes.js';
import { Pkcs11DecryptionFailed, Pkcs11Error, type Pkcs11Key, type Pkcs11Token } from '../../hsm/pkcs11-token.js';
import type { CloudHsmKeyStore, CustomKeyStore } from '../../keys/custom-key-store.js';
import { currentMaterialOf, type KmsKey } from '../../keys/key.js';
import { KeyUnavailableException, KMSInternalException, KMSInvalidStateException } from '../../errors.js';
import type { ServiceDependencies } from '../services.js';
import { unwrapKeyStorePin } from './key-store-pin.js';
import type { StoreCredentials } from './key-store-tokens.js';

/**
 * The keys of custom key stores, as objects in their store's token (ADR 0022, Decision 4): an AES-256 key labelled
 * with the KMS key's id, whose CKA_ID is the key's material id. Nothing of the key is in the database but its record;
 * the ciphertext blob is the same as any symmetric key's, and only its AES-GCM runs in the token.
 */

/** The token object holding a store key's material: labelled with the key id, its CKA_ID the material id. */
export function tokenKeyOf(key: KmsKey): Pkcs11Key {
  return { label: key.id, id: Buffer.from(currentMaterialOf(key), 'hex') };
}

/** What a process needs to open a store's session itself: the registered cluster and the unwrapped PIN. */
export function storeCredentials(deps: ServiceDependencies): StoreCredentials {
  return {
    cluster: (store) => deps.store.keyStores.getCluster(store.clusterId),
    pin: (store) => unwrapKeyStorePin(deps.rootKey, store.id, store.wrappedPin),
  };
}

/**
 * The custom key store of a key in one, or undefined for any other key. A key naming a store that does not exist
 * cannot be (the store refuses to delete a store with keys): that is a corrupted database, not the caller's fault.
 */
export async function keyStoreOf(deps: ServiceDependencies, key: KmsKey): Promise<CustomKeyStore | undefined> {
  if (key.customKeyStoreId === undefined) return undefined;
  const store = await deps.store.keyStores.get(key, key.customKeyStoreId);
  if (store === undefined) throw new KMSInternalException(`custom key store ${key.customKeyStoreId} of ${key.arn} is missing`);
  return store;
}

/** The AWS_CLOUDHSM store of a key in one; anything else is a corrupted record, not the caller's fault. */
export async function cloudHsmKeyStoreOf(deps: ServiceDependencies, key: KmsKey): Promise<CloudHsmKeyStore> {
  const store = await keyStoreOf(deps, key);
  if (store?.type !== 'AWS_CLOUDHSM') throw new KMSInternalException(`${key.arn} is not in an AWS_CLOUDHSM key store`);
  return store;
}

/**
 * The AES-GCM key a store key's ciphertext blobs are sealed and opened with: its object in the token, through this
 * process's session. A store that is not connected was refused by the key-state check already (the key is
 * `Unavailable`); one disconnected since is refused here the same way.
 */
export async function blobKeyInStore(deps: ServiceDependencies, key: KmsKey): Promise<ExternalAesGcmKey> {
  const store = await cloudHsmKeyStoreOf(deps, key);
  if (store.connectionState !== 'CONNECTED') {
    deps.keyStoreTokens.close(store.id);
    throw new KeyUnavailableException(`${key.arn} is unavailable.`);
  }
  const token = await usingToken(deps, key, store, () => deps.keyStoreTokens.sessionFor(store, storeCredentials(deps)));
  return new TokenAesGcmKey(token, tokenKeyOf(key), (run) => usingTokenSync(deps, key, store, run));
}

/**
 * A token failure as the caller sees it: the key's object missing from the token is a key in a state that cannot
 * serve (AWS: the KMS key's state does not change when its backing key is deleted, but its use fails); anything
 * else is the HSM unreachable, a key unavailable for now, and this process's session is closed so that the next
 * request opens a fresh one.
 */
function tokenFailure(deps: ServiceDependencies, key: KmsKey, store: CloudHsmKeyStore, error: unknown): unknown {
  if (!(error instanceof Pkcs11Error)) return error;
  if (error.problem === 'KEY_NOT_FOUND') {
    return new KMSInvalidStateException(`The key material of ${key.arn} cannot be found in custom key store ${store.id}.`);
  }
  deps.keyStoreTokens.close(store.id);
  return new KeyUnavailableException(`${key.arn} is unavailable.`);
}

async function usingToken<T>(deps: ServiceDependencies, key: KmsKey, store: CloudHsmKeyStore, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw tokenFailure(deps, key, store, error);
  }
}

function usingTokenSync<T>(deps: ServiceDependencies, key: KmsKey, store: CloudHsmKeyStore, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw tokenFailure(deps, key, store, error);
  }
}

/** AES-256-GCM by a key object in a token, shaped as `crypto/aead.ts` shapes it. */
class TokenAesGcmKey implements ExternalAesGcmKey {
  constructor(
    private readonly token: Pkcs11Token,
    private readonly key: Pkcs11Key,
    private readonly guard: <T>(run: () => T) => T,
  ) {}

  sealWithIv(iv: Buffer, plaintext: Buffer, aad: Buffer): AesGcmSealed {
    const sealed = this.guard(() => this.token.encryptAesGcm(this.key, iv, aad, plaintext));
    const tagAt = sealed.length - GCM_TAG_BYTES;
    return { iv, ciphertext: sealed.subarray(0, tagAt), tag: sealed.subarray(tagAt) };
  }

  open(iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): SecretBytes {
    try {
      return SecretBytes.adopt(this.guard(() => this.token.decryptAesGcm(this.key, iv, aad, Buffer.concat([ciphertext, tag]))));
    } catch (error) {
      if (error instanceof Pkcs11DecryptionFailed) throw new DecryptionFailedError();
      throw error;
    }
  }
}

/**
 * Creates a store key's object in the token: non-extractable AES-256, generated there. The store was found
 * `CONNECTED` by the caller.
 */
export async function generateKeyInStore(deps: ServiceDependencies, store: CloudHsmKeyStore, object: Pkcs11Key): Promise<void> {
  const token = await deps.keyStoreTokens.sessionFor(store, storeCredentials(deps));
  token.generateAesKey(object.label, object.id);
}

/**
 * Destroys a deleted key's object in its store's token, through this process's session or one opened for it with
 * the stored PIN even while the store is disconnected (the key is gone from the API either way; its material must
 * not stay behind). An object already gone is no error. Throws `Pkcs11Error` when the token cannot be reached: the
 * caller keeps the key and tries again later.
 */
export async function destroyKeyInStore(deps: ServiceDependencies, store: CloudHsmKeyStore, object: Pkcs11Key): Promise<void> {
  const token = await deps.keyStoreTokens.sessionFor(store, storeCredentials(deps));
  try {
    if (token.findAesKey(object.label) === undefined) return;
    token.destroyKey(object);
  } finally {
    // A session opened only for this (the store is not connected) does not stay open.
    if (store.connectionState !== 'CONNECTED') deps.keyStoreTokens.close(store.id);
  }
}
