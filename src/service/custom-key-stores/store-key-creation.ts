import {
  CustomKeyStoreInvalidStateException,
  KMSInternalException,
  UnsupportedOperationException,
  ValidationException,
} from '../../errors.js';
import { Pkcs11Error } from '../../hsm/pkcs11-token.js';
import type { CustomKeyStore } from '../../keys/custom-key-store.js';
import type { KeyOrigin, KeyScope } from '../../keys/key.js';
import { isSymmetric, type KeySpec, type KeyUsage } from '../../keys/key-spec.js';
import type { ServiceDependencies } from '../services.js';
import { findKeyStore } from './find-key-store.js';
import { destroyKeyInStore, generateKeyInStore } from './store-keys.js';

export interface StoreKeyRequest {
  readonly spec: KeySpec;
  readonly usage: KeyUsage;
  readonly origin: KeyOrigin;
  readonly multiRegion: boolean;
  readonly customKeyStoreId?: string;
  readonly xksKeyId?: string;
}

/** A key's material made in its store's token, and how to take it back if the key's record is not stored. */
export interface MaterialInStore {
  readonly customKeyStoreId: string;
  readonly materialId: string;
  discard(): Promise<void>;
}

/** The origin that goes with each type of custom key store. */
const ORIGIN_OF_STORE_TYPE = { AWS_CLOUDHSM: 'AWS_CLOUDHSM', EXTERNAL_KEY_STORE: 'EXTERNAL_KEY_STORE' } as const;

/**
 * Checks that a CreateKey request may make a key in a custom key store, as AWS checks it: Origin AWS_CLOUDHSM or
 * EXTERNAL_KEY_STORE goes with a CustomKeyStoreId and the other way round, and an XksKeyId with EXTERNAL_KEY_STORE
 * only. Throws before anything is looked up or made.
 */
export function checkStoreKeyRequest(request: StoreKeyRequest): void {
  const inStore = request.customKeyStoreId !== undefined;
  const storeOrigin = request.origin === 'AWS_CLOUDHSM' || request.origin === 'EXTERNAL_KEY_STORE';
  if (request.xksKeyId !== undefined && request.origin !== 'EXTERNAL_KEY_STORE') {
    throw new ValidationException(
      'XksKeyId is valid only for a KMS key in an external key store: it requires Origin EXTERNAL_KEY_STORE and a CustomKeyStoreId.',
    );
  }
  if (storeOrigin && !inStore) {
    throw new ValidationException(`A KMS key with Origin ${request.origin} must be created in a custom key store: specify CustomKeyStoreId.`);
  }
  if (inStore && !storeOrigin) {
    throw new ValidationException(`To create a KMS key in a custom key store, Origin must be AWS_CLOUDHSM or EXTERNAL_KEY_STORE, not ${request.origin}.`);
  }
  if (request.origin === 'EXTERNAL_KEY_STORE' && request.xksKeyId === undefined) {
    throw new ValidationException('A KMS key with Origin EXTERNAL_KEY_STORE needs the XksKeyId of its external key.');
  }
  if (!inStore) return;
  if (!isSymmetric(request.spec) || request.usage !== 'ENCRYPT_DECRYPT') {
    throw new UnsupportedOperationException(
      'KMS keys in custom key stores must be symmetric encryption keys: KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT.',
    );
  }
  if (request.multiRegion) throw new UnsupportedOperationException('Multi-Region keys cannot be created in a custom key store.');
}

/**
 * The store a new key is made in: of the type its origin names, and `CONNECTED` (CustomKeyStoreInvalidStateException
 * otherwise, as at AWS).
 */
export async function connectedStoreFor<Origin extends 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE'>(
  deps: ServiceDependencies,
  scope: KeyScope,
  customKeyStoreId: string,
  origin: Origin,
): Promise<Extract<CustomKeyStore, { type: Origin }>> {
  const store = await findKeyStore(deps, scope, customKeyStoreId);
  if (ORIGIN_OF_STORE_TYPE[store.type] !== origin) {
    throw new ValidationException(`Custom key store '${customKeyStoreId}' is of type ${store.type}: a KMS key in it has Origin ${ORIGIN_OF_STORE_TYPE[store.type]}.`);
  }
  if (store.connectionState !== 'CONNECTED') {
    throw new CustomKeyStoreInvalidStateException(
      `Custom key store '${customKeyStoreId}' is ${store.connectionState}: KMS keys can be created only in a CONNECTED custom key store.`,
    );
  }
  return store as Extract<CustomKeyStore, { type: Origin }>;
}

/**
 * Generates a new key's AES-256 key in its store's token (non-extractable, labelled with the key id, its CKA_ID the
 * material id). The store must be `CONNECTED`, else CustomKeyStoreInvalidStateException, as at AWS.
 */
export async function makeMaterialInStore(
  deps: ServiceDependencies,
  scope: KeyScope,
  keyId: string,
  customKeyStoreId: string,
): Promise<MaterialInStore> {
  const store = await connectedStoreFor(deps, scope, customKeyStoreId, 'AWS_CLOUDHSM');
  const materialId = deps.newMaterialId();
  const object = { label: keyId, id: Buffer.from(materialId, 'hex') };
  try {
    await generateKeyInStore(deps, store, object);
  } catch (error) {
    if (!(error instanceof Pkcs11Error)) throw error;
    deps.keyStoreTokens.close(store.id);
    throw new KMSInternalException(`the HSM of custom key store ${store.id} could not generate a key: ${error.problem}`);
  }
  return {
    customKeyStoreId,
    materialId,
    // Best effort: the key was never stored, so nothing can use the object; a token that fails now leaves it orphaned.
    discard: () => destroyKeyInStore(deps, store, object).catch(() => {}),
  };
}
