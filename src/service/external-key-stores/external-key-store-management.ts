import { ValidationException, XksProxyVpcEndpointServiceNotFoundException } from '../../errors.js';
import type { ExternalKeyStore, XksProxyConfiguration } from '../../keys/custom-key-store.js';
import type { KeyScope } from '../../keys/key.js';
import { XksCallFailure } from '../../xks/xks-client.js';
import { mutateKeyStore } from '../custom-key-stores/find-key-store.js';
import { checkNewKeyStore, checkNewName, newKeyStoreId, requireDisconnected, writingKeyStore } from '../custom-key-stores/key-store-management.js';
import type { ServiceDependencies } from '../services.js';
import { xksFailureException } from './xks-failures.js';
import { checkProxyHealth, wrapProxySecret } from './xks-proxy-calls.js';

/** Creating and updating custom key stores of type EXTERNAL_KEY_STORE (ADR 0023, Decision 4). */

/** `XksProxyAuthenticationCredential`: the secret is wrapped at once and never kept in clear. */
export interface XksProxyCredential {
  readonly accessKeyId: string;
  readonly secret: string;
}

export interface NewExternalKeyStore {
  readonly name: string;
  readonly uriEndpoint: string;
  readonly uriPath: string;
  readonly connectivity: string;
  readonly credential: XksProxyCredential;
}

/**
 * CreateCustomKeyStore of type EXTERNAL_KEY_STORE: the proxy's health is checked with the given address and
 * credential before anything is stored (as AWS does), and the store is created `DISCONNECTED`.
 */
export async function createExternalKeyStore(deps: ServiceDependencies, scope: KeyScope, params: NewExternalKeyStore): Promise<ExternalKeyStore> {
  checkConnectivity(params.connectivity);
  await checkNewKeyStore(deps, scope, params.name);
  const id = newKeyStoreId();
  const store: ExternalKeyStore = {
    ...scope,
    id,
    name: params.name,
    type: 'EXTERNAL_KEY_STORE',
    xksProxy: proxyConfiguration(deps, id, params, params.credential),
    connectionState: 'DISCONNECTED',
    createdAt: deps.now(),
    revision: 1,
  };
  await checkHealth(deps, store, 'CreateCustomKeyStore');
  await writingKeyStore(store, () => deps.store.keyStores.create(store));
  return store;
}

export interface ExternalKeyStoreUpdate {
  readonly newName?: string;
  readonly uriEndpoint?: string;
  readonly uriPath?: string;
  readonly connectivity?: string;
  readonly credential?: XksProxyCredential;
}

/**
 * UpdateCustomKeyStore of an EXTERNAL_KEY_STORE store. The name and the credential (rotated at the proxy first, which
 * accepts both while they change) may change in any state; the proxy's address and connectivity only while
 * `DISCONNECTED`. Whatever changes the way the proxy is reached is checked against the proxy's health first.
 */
export async function updateExternalKeyStore(deps: ServiceDependencies, store: ExternalKeyStore, update: ExternalKeyStoreUpdate): Promise<void> {
  const movesProxy = update.uriEndpoint !== undefined || update.uriPath !== undefined || update.connectivity !== undefined;
  if (movesProxy) requireDisconnected(store, 'XksProxyUriEndpoint, XksProxyUriPath or XksProxyConnectivity');
  if (update.connectivity !== undefined) checkConnectivity(update.connectivity);
  await checkNewName(deps, store, update.newName);
  const proxy = {
    uriEndpoint: update.uriEndpoint ?? store.xksProxy.uriEndpoint,
    uriPath: update.uriPath ?? store.xksProxy.uriPath,
  };
  const xksProxy = movesProxy || update.credential
    ? proxyConfiguration(deps, store.id, proxy, update.credential, store.xksProxy)
    : store.xksProxy;
  const wanted: ExternalKeyStore = { ...store, name: update.newName ?? store.name, xksProxy };
  if (xksProxy !== store.xksProxy) await checkHealth(deps, wanted, 'UpdateCustomKeyStore');
  await writingKeyStore(wanted, () =>
    mutateKeyStore(deps, store, (current) => {
      if (movesProxy) requireDisconnected(current, 'XksProxyUriEndpoint, XksProxyUriPath or XksProxyConnectivity');
      return { ...(update.newName !== undefined ? { name: update.newName } : {}), xksProxy };
    }),
  );
}

/**
 * The stored proxy configuration: the given address and credential (the secret wrapped), or the current credential
 * kept when none is given.
 */
function proxyConfiguration(
  deps: ServiceDependencies,
  keyStoreId: string,
  address: { readonly uriEndpoint: string; readonly uriPath: string },
  credential: XksProxyCredential | undefined,
  current?: XksProxyConfiguration,
): XksProxyConfiguration {
  const kept = current && { accessKeyId: current.accessKeyId, wrappedSecret: current.wrappedSecret };
  const given = credential && { accessKeyId: credential.accessKeyId, wrappedSecret: wrapProxySecret(deps.rootKey, keyStoreId, credential.secret) };
  const secret = given ?? kept;
  if (secret === undefined) throw new ValidationException('An external key store requires XksProxyAuthenticationCredential.');
  return { uriEndpoint: address.uriEndpoint, uriPath: address.uriPath, connectivity: 'PUBLIC_ENDPOINT', ...secret };
}

/** VPC endpoint services are AWS PrivateLink, which only AWS has: a proxy here is reached at a public endpoint. */
function checkConnectivity(connectivity: string): void {
  if (connectivity !== 'PUBLIC_ENDPOINT') {
    throw new XksProxyVpcEndpointServiceNotFoundException(
      'XksProxyConnectivity VPC_ENDPOINT_SERVICE needs an Amazon VPC endpoint service, which this server cannot reach: use PUBLIC_ENDPOINT.',
    );
  }
}

async function checkHealth(deps: ServiceDependencies, store: ExternalKeyStore, operation: string): Promise<void> {
  try {
    await checkProxyHealth(deps, store, operation);
  } catch (error) {
    if (error instanceof XksCallFailure) throw xksFailureException(error, 'key-store');
    throw error;
  }
}
