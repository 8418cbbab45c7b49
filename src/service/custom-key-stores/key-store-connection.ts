import { CustomKeyStoreInvalidStateException } from '../../errors.js';
import { Pkcs11Error } from '../../hsm/pkcs11-token.js';
import type { CloudHsmKeyStore, ConnectionErrorCode, CustomKeyStore, ExternalKeyStore } from '../../keys/custom-key-store.js';
import { XksCallFailure } from '../../xks/xks-client.js';
import { xksConnectionError } from '../external-key-stores/xks-failures.js';
import { checkProxyHealth } from '../external-key-stores/xks-proxy-calls.js';
import type { KeyScope } from '../../keys/key.js';
import type { ServiceDependencies } from '../services.js';
import { connectionErrorOf } from './connection-errors.js';
import { findKeyStore, mutateKeyStore } from './find-key-store.js';
import { unwrapKeyStorePin } from './key-store-pin.js';

/**
 * ConnectCustomKeyStore: opens a session on the store's token with its PIN, in this process (or, for an external key
 * store, asks its proxy's health), and stores the outcome — `CONNECTED`, or `FAILED` with the `ConnectionErrorCode`
 * AWS gives the cause. Like AWS, a failed
 * connection is not an error of the request: the caller reads the state with DescribeCustomKeyStores. Unlike AWS,
 * the state is final when the answer is sent (no `CONNECTING`): the attempt is one local call, not minutes of
 * cluster set-up. A `CONNECTED` store stays connected; a `FAILED` one must be disconnected first, as at AWS.
 */
export async function connectKeyStore(deps: ServiceDependencies, scope: KeyScope, id: string): Promise<CustomKeyStore> {
  const store = await findKeyStore(deps, scope, id);
  refuseToConnect(store);
  if (store.connectionState === 'CONNECTED') return store;
  const errorCode = await tryToConnect(deps, store);
  try {
    return await mutateKeyStore(deps, store, (current) => {
      refuseToConnect(current);
      return errorCode === undefined
        ? { connectionState: 'CONNECTED', connectionErrorCode: undefined }
        : { connectionState: 'FAILED', connectionErrorCode: errorCode };
    });
  } catch (error) {
    deps.keyStoreTokens.close(id);
    throw error;
  }
}

/**
 * DisconnectCustomKeyStore: the store becomes `DISCONNECTED` for every process (its keys `Unavailable`), and this
 * process closes its session at once; the others close theirs when a request next finds the store disconnected.
 */
export async function disconnectKeyStore(deps: ServiceDependencies, scope: KeyScope, id: string): Promise<CustomKeyStore> {
  const store = await findKeyStore(deps, scope, id);
  const disconnected = await mutateKeyStore(deps, store, (current) => {
    if (current.connectionState === 'DISCONNECTED' || current.connectionState === 'DISCONNECTING') {
      throw new CustomKeyStoreInvalidStateException(`Custom key store '${id}' is ${current.connectionState}.`);
    }
    return { connectionState: 'DISCONNECTED', connectionErrorCode: undefined };
  });
  deps.keyStoreTokens.close(id);
  return disconnected;
}

function refuseToConnect(store: CustomKeyStore): void {
  if (store.connectionState === 'FAILED' || store.connectionState === 'DISCONNECTING') {
    throw new CustomKeyStoreInvalidStateException(
      `Custom key store '${store.id}' is ${store.connectionState}: disconnect it (DisconnectCustomKeyStore) before connecting it again.`,
    );
  }
}

/**
 * Tries the store's backing key store: a CloudHSM store opens this process's session on its token, an external key
 * store asks its proxy's health. Undefined when it worked, else why not as a connection error code.
 */
async function tryToConnect(deps: ServiceDependencies, store: CustomKeyStore): Promise<ConnectionErrorCode | undefined> {
  return store.type === 'AWS_CLOUDHSM' ? openSession(deps, store) : askProxyHealth(deps, store);
}

async function openSession(deps: ServiceDependencies, store: CloudHsmKeyStore): Promise<ConnectionErrorCode | undefined> {
  const cluster = await deps.store.keyStores.getCluster(store.clusterId);
  if (cluster === undefined) return 'CLUSTER_NOT_FOUND';
  try {
    await deps.keyStoreTokens.connect(store, cluster, unwrapKeyStorePin(deps.rootKey, store.id, store.wrappedPin));
    return undefined;
  } catch (error) {
    if (error instanceof Pkcs11Error) return connectionErrorOf(error.problem);
    throw error;
  }
}

async function askProxyHealth(deps: ServiceDependencies, store: ExternalKeyStore): Promise<ConnectionErrorCode | undefined> {
  try {
    await checkProxyHealth(deps, store, 'ConnectCustomKeyStore');
    return undefined;
  } catch (error) {
    if (error instanceof XksCallFailure) return xksConnectionError(error);
    throw error;
  }
}
