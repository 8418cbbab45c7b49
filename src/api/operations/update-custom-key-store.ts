import { updateCloudHsmKeyStore } from '../../service/custom-key-stores/cloudhsm-key-stores.js';
import { findKeyStore } from '../../service/custom-key-stores/find-key-store.js';
import { updateExternalKeyStore } from '../../service/external-key-stores/external-key-store-management.js';
import { accountOperation } from '../operation.js';
import { refuseCloudHsmMembers, refuseXksProxyMembers } from '../wire/custom-key-store-entry.js';

/**
 * Renames a custom key store (in any state), or changes how it reaches its backing key store: a CloudHSM store's PIN
 * or cluster, an external key store's proxy address (while disconnected) or credential (in any state).
 */
export const UpdateCustomKeyStore = accountOperation({
  name: 'UpdateCustomKeyStore',
  action: 'kms:UpdateCustomKeyStore',
  readOnly: false,
  async handle({ input, scope }, deps) {
    const store = await findKeyStore(deps, scope, input.CustomKeyStoreId);
    const newName = input.NewCustomKeyStoreName !== undefined ? { newName: input.NewCustomKeyStoreName } : {};
    if (store.type === 'AWS_CLOUDHSM') {
      refuseXksProxyMembers(input);
      await updateCloudHsmKeyStore(deps, store, {
        ...newName,
        ...(input.KeyStorePassword !== undefined ? { pin: input.KeyStorePassword } : {}),
        ...(input.CloudHsmClusterId !== undefined ? { clusterId: input.CloudHsmClusterId } : {}),
      });
      return {};
    }
    refuseCloudHsmMembers(input);
    const credential = input.XksProxyAuthenticationCredential;
    await updateExternalKeyStore(deps, store, {
      ...newName,
      ...(input.XksProxyUriEndpoint !== undefined ? { uriEndpoint: input.XksProxyUriEndpoint } : {}),
      ...(input.XksProxyUriPath !== undefined ? { uriPath: input.XksProxyUriPath } : {}),
      ...(input.XksProxyConnectivity !== undefined ? { connectivity: input.XksProxyConnectivity } : {}),
      ...(credential !== undefined ? { credential: { accessKeyId: credential.AccessKeyId, secret: credential.RawSecretAccessKey } } : {}),
    });
    return {};
  },
});
