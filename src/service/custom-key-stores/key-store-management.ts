import { randomBytes } from 'node:crypto';
import {
  CloudHsmClusterInUseException,
  CloudHsmClusterNotFoundException,
  CloudHsmClusterNotRelatedException,
  CustomKeyStoreHasCMKsException,
  CustomKeyStoreInvalidStateException,
  CustomKeyStoreNameInUseException,
  LimitExceededException,
} from '../../errors.js';
import type { CustomKeyStore, HsmCluster } from '../../keys/custom-key-store.js';
import type { KeyScope } from '../../keys/key.js';
import { DuplicateError, InUseError, type Page, type PageRequest } from '../../store/store.js';
import type { ServiceDependencies } from '../services.js';
import { findKeyStore, keyStoreNotFound, mutateKeyStore } from './find-key-store.js';
import { wrapKeyStorePin } from './key-store-pin.js';
import { validateTrustAnchor } from './trust-anchor.js';

/** AWS's quota: custom key stores per account and Region. */
export const MAX_KEY_STORES_PER_REGION = 10;

export interface NewCloudHsmKeyStore {
  readonly name: string;
  readonly clusterId: string;
  readonly trustAnchorCertificate: string;
  /** The token user's PIN (`KeyStorePassword`): wrapped at once, never kept in clear. */
  readonly pin: string;
}

/** A store id as AWS makes them: `cks-` and 17 hex digits. */
function newKeyStoreId(): string {
  return `cks-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/**
 * CreateCustomKeyStore of type AWS_CLOUDHSM: a store, `DISCONNECTED`, on a registered cluster no other store uses.
 * Nothing is asked of the token yet: ConnectCustomKeyStore is where the PIN is tried, as at AWS.
 */
export async function createCloudHsmKeyStore(deps: ServiceDependencies, scope: KeyScope, params: NewCloudHsmKeyStore): Promise<CustomKeyStore> {
  if (await deps.store.keyStores.getByName(scope, params.name)) throw nameInUse(params.name);
  await findCluster(deps, params.clusterId);
  const trustAnchorCertificate = validateTrustAnchor(params.trustAnchorCertificate);
  const existing = await deps.store.keyStores.list(scope, { limit: MAX_KEY_STORES_PER_REGION });
  if (existing.items.length >= MAX_KEY_STORES_PER_REGION) {
    throw new LimitExceededException(`An account can have at most ${MAX_KEY_STORES_PER_REGION} custom key stores in a Region.`);
  }
  const id = newKeyStoreId();
  const store: CustomKeyStore = {
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
  await writingUnique(params, () => deps.store.keyStores.create(store));
  return store;
}

export interface KeyStoreUpdate {
  readonly newName?: string;
  readonly pin?: string;
  readonly clusterId?: string;
}

/**
 * UpdateCustomKeyStore of an AWS_CLOUDHSM store. The name may change in any state; the PIN and the cluster only
 * while `DISCONNECTED`. A new cluster must be related to the old one — here: the same token (module and label),
 * registered under another id — since the store's keys are objects in that token.
 */
export async function updateCloudHsmKeyStore(deps: ServiceDependencies, scope: KeyScope, id: string, update: KeyStoreUpdate): Promise<CustomKeyStore> {
  const store = await findKeyStore(deps, scope, id);
  if ((update.pin !== undefined || update.clusterId !== undefined) && store.connectionState !== 'DISCONNECTED') {
    throw new CustomKeyStoreInvalidStateException(
      `Custom key store '${id}' is ${store.connectionState}: disconnect it to change its KeyStorePassword or CloudHsmClusterId.`,
    );
  }
  if (update.newName !== undefined && update.newName !== store.name) {
    const named = await deps.store.keyStores.getByName(scope, update.newName);
    if (named && named.id !== id) throw nameInUse(update.newName);
  }
  if (update.clusterId !== undefined && update.clusterId !== store.clusterId) {
    const [current, next] = await Promise.all([deps.store.keyStores.getCluster(store.clusterId), findCluster(deps, update.clusterId)]);
    if (current === undefined || current.modulePath !== next.modulePath || current.tokenLabel !== next.tokenLabel) {
      throw new CloudHsmClusterNotRelatedException(
        `Cluster '${update.clusterId}' is not related to cluster '${store.clusterId}': it is not the same HSM token.`,
      );
    }
  }
  const wrappedPin = update.pin === undefined ? undefined : wrapKeyStorePin(deps.rootKey, id, update.pin);
  return writingUnique({ name: update.newName ?? store.name, clusterId: update.clusterId ?? store.clusterId }, () =>
    mutateKeyStore(deps, store, (current) => {
      if ((wrappedPin !== undefined || update.clusterId !== undefined) && current.connectionState !== 'DISCONNECTED') {
        throw new CustomKeyStoreInvalidStateException(`Custom key store '${id}' is ${current.connectionState}.`);
      }
      return {
        ...(update.newName !== undefined ? { name: update.newName } : {}),
        ...(update.clusterId !== undefined ? { clusterId: update.clusterId } : {}),
        ...(wrappedPin !== undefined ? { wrappedPin } : {}),
      };
    }),
  );
}

/** DeleteCustomKeyStore: only a `DISCONNECTED` store without keys (deleted keys leave it when their waiting period ends). */
export async function deleteKeyStore(deps: ServiceDependencies, scope: KeyScope, id: string): Promise<void> {
  const store = await findKeyStore(deps, scope, id);
  if (store.connectionState !== 'DISCONNECTED') {
    throw new CustomKeyStoreInvalidStateException(`Custom key store '${id}' is ${store.connectionState}: disconnect it before deleting it.`);
  }
  try {
    await deps.store.keyStores.delete(scope, id);
  } catch (error) {
    if (!(error instanceof InUseError)) throw error;
    throw new CustomKeyStoreHasCMKsException(
      `Custom key store '${id}' contains KMS keys. Schedule their deletion and wait until they are deleted before deleting the custom key store.`,
    );
  }
  deps.keyStoreTokens.close(id);
}

/** DescribeCustomKeyStores: one store by id or by name, or a page of all the account's stores in the Region. */
export async function describeKeyStores(
  deps: ServiceDependencies,
  scope: KeyScope,
  filter: { readonly id?: string; readonly name?: string },
  page: PageRequest,
): Promise<Page<CustomKeyStore>> {
  if (filter.id !== undefined || filter.name !== undefined) {
    const store = filter.id !== undefined ? await deps.store.keyStores.get(scope, filter.id) : await deps.store.keyStores.getByName(scope, filter.name!);
    if (store === undefined || (filter.name !== undefined && store.name !== filter.name)) throw keyStoreNotFound(filter.id ?? filter.name!);
    return { items: [store] };
  }
  return deps.store.keyStores.list(scope, page);
}

async function findCluster(deps: ServiceDependencies, clusterId: string): Promise<HsmCluster> {
  const cluster = await deps.store.keyStores.getCluster(clusterId);
  if (cluster === undefined) {
    throw new CloudHsmClusterNotFoundException(`Cluster '${clusterId}' not found. An operator registers HSM clusters with 'strongroom hsm register'.`);
  }
  return cluster;
}

/** Runs a write, answering the unique constraints it may break (a race with another request) as AWS does. */
async function writingUnique<T>(wanted: { readonly name: string; readonly clusterId: string }, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof DuplicateError)) throw error;
    if (error.what === 'cluster') {
      throw new CloudHsmClusterInUseException(`Cluster '${wanted.clusterId}' is already associated with a custom key store.`);
    }
    throw nameInUse(wanted.name);
  }
}

function nameInUse(name: string): CustomKeyStoreNameInUseException {
  return new CustomKeyStoreNameInUseException(`A custom key store with the name '${name}' already exists in this account and Region.`);
}
