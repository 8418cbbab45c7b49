import { UnsupportedOperationException, ValidationException } from '../../errors.js';
import { createCloudHsmKeyStore } from '../../service/custom-key-stores/key-store-management.js';
import { accountOperation } from '../operation.js';
import { refuseXksProxyMembers } from '../wire/custom-key-store-entry.js';

/**
 * Creates a custom key store of type AWS_CLOUDHSM on an HSM cluster the operator registered (`strongroom hsm
 * register`), `DISCONNECTED` until ConnectCustomKeyStore. External key stores are not built yet.
 */
export const CreateCustomKeyStore = accountOperation({
  name: 'CreateCustomKeyStore',
  action: 'kms:CreateCustomKeyStore',
  readOnly: false,
  async handle({ input, scope }, deps) {
    if (input.CustomKeyStoreType === 'EXTERNAL_KEY_STORE') {
      throw new UnsupportedOperationException('External key stores (EXTERNAL_KEY_STORE) are not supported by this server.');
    }
    refuseXksProxyMembers(input);
    const { CloudHsmClusterId: clusterId, TrustAnchorCertificate: trustAnchorCertificate, KeyStorePassword: pin } = input;
    if (clusterId === undefined || trustAnchorCertificate === undefined || pin === undefined) {
      throw new ValidationException(
        'A custom key store of type AWS_CLOUDHSM requires CloudHsmClusterId, TrustAnchorCertificate and KeyStorePassword.',
      );
    }
    const store = await createCloudHsmKeyStore(deps, scope, { name: input.CustomKeyStoreName, clusterId, trustAnchorCertificate, pin });
    return { CustomKeyStoreId: store.id };
  },
});
