import { CloudHsmClusterNotFoundException, CloudHsmClusterNotRelatedException } from '../../errors.js';
import type { CloudHsmKeyStore, HsmCluster } from '../../keys/custom-key-store.js';
import type { KeyScope } from '../../keys/key.js';
import type { ServiceDependencies } from '../services.js';
import { mutateKeyStore } from './find-key-store.js';
import { wrapKeyStorePin } from './key-store-pin.js';
import { checkNewKeyStore, checkNewName, newKeyStoreId, requireDisconnected, writingKeyStore } from './key-store-management.js';
import { validateTrustAnchor } from './trust-anchor.js';

/** Creating and updating custom key stores of type AWS_CLOUDHSM (ADR 0022). */

export interface NewCloudHsmKeyStore {
  readonly name: string;
  readonly clusterId: string;
  readonly trustAnchorCertificate: string;
  /** The token user's PIN (`KeyStorePassword`): wrapped at once, never kept in clear. */
  readonly pin: string;
}

/**
 * CreateCustomKeyStore of type AWS_CLOUDHSM: a store, `DISCONNECTED`, on a registered cluster no other store uses.
 * Nothing is asked of the token yet: ConnectCustomKeyStore is where the PIN is tried, as at AWS.
 */
export async function createCloudHsmKeyStore(deps: ServiceDependencies, scope: KeyScope, params: NewCloudHsmKeyStore): Promise<CloudHsmKeyStore> {
  await checkNewKeyStore(deps, scope, params.name);
  await findCluster(deps, params.clusterId);
  const trustAnchorCertificate = validateTrustAnchor(params.trustAnchorCertificate);
  const id = newKeyStoreId();
  const store: CloudHsmKeyStore = {
    ...scope,
    id,
    name: params.name,
    type: 'AWS_CLOUDHSM',
    clusterId: params.clusterId,
    trustAnchorCertificate,
    wrappedPin: wrapKeyStorePin(deps.rootKey, id, params.pin),
    connectionState: 'DISCONNECTED',
    createdAt: deps.now(),
    revision: 1,
  };
  await writingKeyStore(store, () => deps.store.keyStores.create(store));
  return store;
}

export interface CloudHsmKeyStoreUpdate {
  readonly newName?: string;
  readonly pin?: string;
  readonly clusterId?: string;
}

/**
 * UpdateCustomKeyStore of an AWS_CLOUDHSM store. The name may change in any state; the PIN and the cluster only
 * while `DISCONNECTED`. A new cluster must be related to the old one — here: the same token (module and label),
 * registered under another id — since the store's keys are objects in that token.
 */
export async function updateCloudHsmKeyStore(deps: ServiceDependencies, store: CloudHsmKeyStore, update: CloudHsmKeyStoreUpdate): Promise<void> {
  const changesAccess = update.pin !== undefined || update.clusterId !== undefined;
  if (changesAccess) requireDisconnected(store, 'KeyStorePassword or CloudHsmClusterId');
  await checkNewName(deps, store, update.newName);
  if (update.clusterId !== undefined && update.clusterId !== store.clusterId) {
    const [current, next] = await Promise.all([deps.store.keyStores.getCluster(store.clusterId), findCluster(deps, update.clusterId)]);
    if (current === undefined || current.modulePath !== next.modulePath || current.tokenLabel !== next.tokenLabel) {
      throw new CloudHsmClusterNotRelatedException(
        `Cluster '${update.clusterId}' is not related to cluster '${store.clusterId}': it is not the same HSM token.`,
      );
    }
  }
  const wrappedPin = update.pin === undefined ? undefined : wrapKeyStorePin(deps.rootKey, store.id, update.pin);
  const wanted: CloudHsmKeyStore = { ...store, name: update.newName ?? store.name, clusterId: update.clusterId ?? store.clusterId };
  await writingKeyStore(wanted, () =>
    mutateKeyStore(deps, store, (current) => {
      if (changesAccess) requireDisconnected(current, 'KeyStorePassword or CloudHsmClusterId');
      return {
        ...(update.newName !== undefined ? { name: update.newName } : {}),
        ...(update.clusterId !== undefined ? { clusterId: update.clusterId } : {}),
        ...(wrappedPin !== undefined ? { wrappedPin } : {}),
      };
    }),
  );
}

export async function findCluster(deps: ServiceDependencies, clusterId: string): Promise<HsmCluster> {
  const cluster = await deps.store.keyStores.getCluster(clusterId);
  if (cluster === undefined) {
    throw new CloudHsmClusterNotFoundException(`Cluster '${clusterId}' not found. An operator registers HSM clusters with 'strongroom hsm register'.`);
  }
  return cluster;
}
