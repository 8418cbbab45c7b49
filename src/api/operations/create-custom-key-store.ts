import { ValidationException } from '../../errors.js';
import { createCloudHsmKeyStore } from '../../service/custom-key-stores/cloudhsm-key-stores.js';
import { createExternalKeyStore } from '../../service/external-key-stores/external-key-store-management.js';
import { accountOperation, type Input } from '../operation.js';
import { refuseCloudHsmMembers, refuseXksProxyMembers } from '../wire/custom-key-store-entry.js';

/**
 * Creates a custom key store, `DISCONNECTED` until ConnectCustomKeyStore: of type AWS_CLOUDHSM on an HSM cluster the
 * operator registered (`strongroom hsm register`), or of type EXTERNAL_KEY_STORE on an XKS proxy, whose health is
 * checked first.
 */
export const CreateCustomKeyStore = accountOperation({
  name: 'CreateCustomKeyStore',
  action: 'kms:CreateCustomKeyStore',
  readOnly: false,
  async handle({ input, scope }, deps) {
    const name = input.CustomKeyStoreName;
    if (input.CustomKeyStoreType === 'EXTERNAL_KEY_STORE') {
      refuseCloudHsmMembers(input);
      const store = await createExternalKeyStore(deps, scope, { name, ...externalKeyStoreMembers(input) });
      return { CustomKeyStoreId: store.id };
    }
    refuseXksProxyMembers(input);
    const { CloudHsmClusterId: clusterId, TrustAnchorCertificate: trustAnchorCertificate, KeyStorePassword: pin } = input;
    if (clusterId === undefined || trustAnchorCertificate === undefined || pin === undefined) {
      throw new ValidationException(
        'A custom key store of type AWS_CLOUDHSM requires CloudHsmClusterId, TrustAnchorCertificate and KeyStorePassword.',
      );
    }
    const store = await createCloudHsmKeyStore(deps, scope, { name, clusterId, trustAnchorCertificate, pin });
    return { CustomKeyStoreId: store.id };
  },
});

/** What an external key store needs, every member of it required (AWS's ValidationException otherwise). */
function externalKeyStoreMembers(input: Input<'CreateCustomKeyStore'>) {
  const { XksProxyUriEndpoint: uriEndpoint, XksProxyUriPath: uriPath, XksProxyConnectivity: connectivity } = input;
  const credential = input.XksProxyAuthenticationCredential;
  if (uriEndpoint === undefined || uriPath === undefined || connectivity === undefined || credential === undefined) {
    throw new ValidationException(
      'A custom key store of type EXTERNAL_KEY_STORE requires XksProxyUriEndpoint, XksProxyUriPath, XksProxyConnectivity and XksProxyAuthenticationCredential.',
    );
  }
  return { uriEndpoint, uriPath, connectivity, credential: { accessKeyId: credential.AccessKeyId, secret: credential.RawSecretAccessKey } };
}
