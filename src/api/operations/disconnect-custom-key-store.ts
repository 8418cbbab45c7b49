import { disconnectKeyStore } from '../../service/custom-key-stores/key-store-connection.js';
import { accountOperation } from '../operation.js';

/** Disconnects a custom key store: its keys are `Unavailable` until it is connected again. */
export const DisconnectCustomKeyStore = accountOperation({
  name: 'DisconnectCustomKeyStore',
  action: 'kms:DisconnectCustomKeyStore',
  readOnly: false,
  async handle({ input, scope }, deps) {
    await disconnectKeyStore(deps, scope, input.CustomKeyStoreId);
    return {};
  },
});
