import { updateCloudHsmKeyStore } from '../../service/custom-key-stores/key-store-management.js';
import { accountOperation } from '../operation.js';
import { refuseXksProxyMembers } from '../wire/custom-key-store-entry.js';

/** Renames a custom key store (in any state), or changes its PIN or cluster (while disconnected). */
export const UpdateCustomKeyStore = accountOperation({
  name: 'UpdateCustomKeyStore',
  action: 'kms:UpdateCustomKeyStore',
  readOnly: false,
  async handle({ input, scope }, deps) {
    refuseXksProxyMembers(input);
    await updateCloudHsmKeyStore(deps, scope, input.CustomKeyStoreId, {
      ...(input.NewCustomKeyStoreName !== undefined ? { newName: input.NewCustomKeyStoreName } : {}),
      ...(input.KeyStorePassword !== undefined ? { pin: input.KeyStorePassword } : {}),
      ...(input.CloudHsmClusterId !== undefined ? { clusterId: input.CloudHsmClusterId } : {}),
    });
    return {};
  },
});
