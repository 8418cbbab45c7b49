import { XksKeyInvalidConfigurationException } from '../../errors.js';
import type { KeyScope } from '../../keys/key.js';
import { XksCallFailure } from '../../xks/xks-client.js';
import { connectedStoreFor } from '../custom-key-stores/store-key-creation.js';
import type { ServiceDependencies } from '../services.js';
import { xksFailureException } from './xks-failures.js';
import { externalKeyMetadata } from './xks-proxy-calls.js';

/**
 * CreateKey with `Origin: EXTERNAL_KEY_STORE`: the store must be a connected external key store, and its proxy must
 * describe the external key as the specification's KMS Considerations require — an `AES_256` key, usable to
 * `ENCRYPT` and `DECRYPT`, `ENABLED` — else XksKeyInvalidConfigurationException (or what the proxy's failure
 * answers in CreateKey: XksKeyNotFoundException, ...).
 */
export async function checkExternalKeyForNewKey(deps: ServiceDependencies, scope: KeyScope, customKeyStoreId: string, xksKeyId: string): Promise<void> {
  const store = await connectedStoreFor(deps, scope, customKeyStoreId, 'EXTERNAL_KEY_STORE');
  let metadata;
  try {
    metadata = await externalKeyMetadata(deps, store, xksKeyId);
  } catch (error) {
    if (error instanceof XksCallFailure) throw xksFailureException(error, 'create-key');
    throw error;
  }
  if (metadata.keySpec !== 'AES_256') {
    throw new XksKeyInvalidConfigurationException(`The external key '${xksKeyId}' is not a 256-bit AES key (its key spec is ${metadata.keySpec}).`);
  }
  if (!metadata.keyUsage.includes('ENCRYPT') || !metadata.keyUsage.includes('DECRYPT')) {
    throw new XksKeyInvalidConfigurationException(`The external key '${xksKeyId}' does not allow both ENCRYPT and DECRYPT.`);
  }
  if (metadata.keyStatus !== 'ENABLED') {
    throw new XksKeyInvalidConfigurationException(`The external key '${xksKeyId}' is not enabled in the external key manager.`);
  }
}
