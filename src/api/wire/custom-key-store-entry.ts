import type { CustomKeyStore } from '../../keys/custom-key-store.js';
import { ValidationException } from '../../errors.js';
import type { CustomKeyStoresListEntry } from '../generated/kms-shapes.js';

/** The wire entry of a custom key store in DescribeCustomKeyStores. The PIN (`KeyStorePassword`) is never returned. */
export function toCustomKeyStoreEntry(store: CustomKeyStore): CustomKeyStoresListEntry {
  return {
    CustomKeyStoreId: store.id,
    CustomKeyStoreName: store.name,
    ...(store.type === 'AWS_CLOUDHSM'
      ? { CloudHsmClusterId: store.clusterId, TrustAnchorCertificate: store.trustAnchorCertificate }
      : {
          // The credential's access key id is shown, as at AWS; its secret never.
          XksProxyConfiguration: {
            Connectivity: store.xksProxy.connectivity,
            AccessKeyId: store.xksProxy.accessKeyId,
            UriEndpoint: store.xksProxy.uriEndpoint,
            UriPath: store.xksProxy.uriPath,
          },
        }),
    ConnectionState: store.connectionState,
    ...(store.connectionErrorCode !== undefined ? { ConnectionErrorCode: store.connectionErrorCode } : {}),
    CreationDate: new Date(store.createdAt),
    CustomKeyStoreType: store.type,
  };
}

/** The members of Create/UpdateCustomKeyStore that configure a CloudHSM key store. */
const CLOUDHSM_MEMBERS = ['CloudHsmClusterId', 'TrustAnchorCertificate', 'KeyStorePassword'] as const;

/** An external key store has no cluster: its requests may not configure one. */
export function refuseCloudHsmMembers(input: Partial<Record<(typeof CLOUDHSM_MEMBERS)[number], unknown>>): void {
  const given = CLOUDHSM_MEMBERS.find((member) => input[member] !== undefined);
  if (given !== undefined) {
    throw new ValidationException(`${given} is valid only for a custom key store of type AWS_CLOUDHSM.`);
  }
}

/** The members of Create/UpdateCustomKeyStore that configure an external key store's proxy. */
const XKS_PROXY_MEMBERS = [
  'XksProxyUriEndpoint',
  'XksProxyUriPath',
  'XksProxyVpcEndpointServiceName',
  'XksProxyVpcEndpointServiceOwner',
  'XksProxyAuthenticationCredential',
  'XksProxyConnectivity',
] as const;

/** An AWS_CLOUDHSM store has no proxy: its requests may not configure one. */
export function refuseXksProxyMembers(input: Partial<Record<(typeof XKS_PROXY_MEMBERS)[number], unknown>>): void {
  const given = XKS_PROXY_MEMBERS.find((member) => input[member] !== undefined);
  if (given !== undefined) {
    throw new ValidationException(`${given} is valid only for a custom key store of type EXTERNAL_KEY_STORE.`);
  }
}
