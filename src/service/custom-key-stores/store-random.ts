import { CustomKeyStoreInvalidStateException, KMSInternalException, UnsupportedOperationException } from '../../errors.js';
import { Pkcs11Error } from '../../hsm/pkcs11-token.js';
import type { KeyScope } from '../../keys/key.js';
import type { ServiceDependencies } from '../services.js';
import { findKeyStore } from './find-key-store.js';
import { storeCredentials } from './store-keys.js';

/**
 * GenerateRandom with a `CustomKeyStoreId`: the bytes come from the random number generator of the store's HSM
 * (C_GenerateRandom), which must be connected, as AWS requires of a CloudHSM key store.
 */
export async function randomFromKeyStore(deps: ServiceDependencies, scope: KeyScope, id: string, length: number): Promise<Buffer> {
  const store = await findKeyStore(deps, scope, id);
  if (store.type !== 'AWS_CLOUDHSM') {
    throw new UnsupportedOperationException(`GenerateRandom with a CustomKeyStoreId is valid only for an AWS CloudHSM key store; '${id}' is an external key store.`);
  }
  if (store.connectionState !== 'CONNECTED') {
    throw new CustomKeyStoreInvalidStateException(`Custom key store '${id}' is ${store.connectionState}: GenerateRandom needs a CONNECTED custom key store.`);
  }
  try {
    const token = await deps.keyStoreTokens.sessionFor(store, storeCredentials(deps));
    return token.generateRandom(length);
  } catch (error) {
    if (!(error instanceof Pkcs11Error)) throw error;
    deps.keyStoreTokens.close(id);
    throw new KMSInternalException(`the HSM of custom key store ${id} could not generate random bytes: ${error.problem}`);
  }
}
