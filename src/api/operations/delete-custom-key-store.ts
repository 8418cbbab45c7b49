import { deleteKeyStore } from '../../service/custom-key-stores/key-store-management.js';
import { accountOperation } from '../operation.js';

/** Deletes a disconnected custom key store that has no keys left (its HSM cluster stays registered). */
export const DeleteCustomKeyStore = accountOperation({
  name: 'DeleteCustomKeyStore',
  action: 'kms:DeleteCustomKeyStore',
  readOnly: false,
  async handle({ input, scope }, deps) {
    await deleteKeyStore(deps, scope, input.CustomKeyStoreId);
    return {};
  },
});
