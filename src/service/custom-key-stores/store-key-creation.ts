import {
  CustomKeyStoreInvalidStateException,
  KMSInternalException,
  UnsupportedOperationException,
  ValidationException,
} from '../../errors.js';
import { Pkcs11Error } from '../../hsm/pkcs11-token.js';
import type { KeyScope } from '../../keys/key.js';
import type { KeyOrigin } from '../../keys/key.js';
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
}

/** A key's material made in its store's token, and how to take it back if the key's record is not stored. */
export interface MaterialInStore {
  readonly customKeyStoreId: string;
  readonly materialId: string;
  discard(): Promise<void>;
}

/**
 * Checks that a CreateKey request may make a key in a custom key store, as AWS checks it: Origin AWS_CLOUDHSM goes
 * with a CustomKeyStoreId and the other way round. Throws before anything is made.
 */
export function checkStoreKeyRequest(request: StoreKeyRequest): void {
  const inStore = request.customKeyStoreId !== undefined;
  if (request.origin === 'AWS_CLOUDHSM' && !inStore) {
    throw new ValidationException('A KMS key with Origin AWS_CLOUDHSM must be created in a custom key store: specify CustomKeyStoreId.');
  }
  if (inStore && request.origin !== 'AWS_CLOUDHSM') {
    throw new ValidationException(`To create a KMS key in an AWS CloudHSM key store, Origin must be AWS_CLOUDHSM, not ${request.origin}.`);
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
 * Generates a new key's AES-256 key in its store's token (non-extractable, labelled with the key id, its CKA_ID the
 * material id). The store must be `CONNECTED`, else CustomKeyStoreInvalidStateException, as at AWS.
 */
export async function makeMaterialInStore(
  deps: ServiceDependencies,
  scope: KeyScope,
  keyId: string,
  customKeyStoreId: string,
): Promise<MaterialInStore> {
  const store = await findKeyStore(deps, scope, customKeyStoreId);
  if (store.connectionState !== 'CONNECTED') {
    throw new CustomKeyStoreInvalidStateException(
      `Custom key store '${customKeyStoreId}' is ${store.connectionState}: KMS keys can be created only in a CONNECTED custom key store.`,
    );
  }
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
