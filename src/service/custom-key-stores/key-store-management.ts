import { randomBytes } from 'node:crypto';
import {
  CloudHsmClusterInUseException,
  CustomKeyStoreHasCMKsException,
  CustomKeyStoreInvalidStateException,
  CustomKeyStoreNameInUseException,
  LimitExceededException,
  XksProxyUriInUseException,
} from '../../errors.js';
import type { CustomKeyStore } from '../../keys/custom-key-store.js';
import type { KeyScope } from '../../keys/key.js';
import { DuplicateError, InUseError, type Page, type PageRequest } from '../../store/store.js';
import type { ServiceDependencies } from '../services.js';
import { findKeyStore, keyStoreNotFound } from './find-key-store.js';

/**
 * What every type of custom key store shares: new ids, the per-Region quota, names, uniqueness, deletion and
 * listing. The types' own creation and updates: `cloudhsm-key-stores.ts`, `../external-key-stores/`.
 */

/** AWS's quota: custom key stores per account and Region. */
export const MAX_KEY_STORES_PER_REGION = 10;

/** A store id as AWS makes them: `cks-` and 17 hex digits. */
export function newKeyStoreId(): string {
  return `cks-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** Refuses a new store whose name the account and Region use, or beyond the quota. */
export async function checkNewKeyStore(deps: ServiceDependencies, scope: KeyScope, name: string): Promise<void> {
  if (await deps.store.keyStores.getByName(scope, name)) throw nameInUse(name);
  const existing = await deps.store.keyStores.list(scope, { limit: MAX_KEY_STORES_PER_REGION });
  if (existing.items.length >= MAX_KEY_STORES_PER_REGION) {
    throw new LimitExceededException(`An account can have at most ${MAX_KEY_STORES_PER_REGION} custom key stores in a Region.`);
  }
}

/** Refuses renaming a store to the name of another store of the account and Region. */
export async function checkNewName(deps: ServiceDependencies, store: CustomKeyStore, newName: string | undefined): Promise<void> {
  if (newName === undefined || newName === store.name) return;
  const named = await deps.store.keyStores.getByName(store, newName);
  if (named && named.id !== store.id) throw nameInUse(newName);
}

/** Refuses a change that AWS allows only while the store is disconnected. */
export function requireDisconnected(store: CustomKeyStore, change: string): void {
  if (store.connectionState !== 'DISCONNECTED') {
    throw new CustomKeyStoreInvalidStateException(`Custom key store '${store.id}' is ${store.connectionState}: disconnect it to change its ${change}.`);
  }
}

/** Runs a write of `wanted`, answering the unique constraints it may break (a race with another request) as AWS does. */
export async function writingKeyStore<T>(wanted: CustomKeyStore, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof DuplicateError)) throw error;
    if (error.what === 'cluster' && wanted.type === 'AWS_CLOUDHSM') {
      throw new CloudHsmClusterInUseException(`Cluster '${wanted.clusterId}' is already associated with a custom key store.`);
    }
    if (error.what === 'xks proxy uri') {
      throw new XksProxyUriInUseException('The concatenation of the XksProxyUriEndpoint and XksProxyUriPath is already associated with an external key store in this account and Region.');
    }
    throw nameInUse(wanted.name);
  }
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
  const { id, name } = filter;
  if (id === undefined && name === undefined) return deps.store.keyStores.list(scope, page);
  const store = id !== undefined ? await deps.store.keyStores.get(scope, id) : await deps.store.keyStores.getByName(scope, name ?? '');
  if (store === undefined || (name !== undefined && store.name !== name)) throw keyStoreNotFound(id ?? name ?? '');
  return { items: [store] };
}

function nameInUse(name: string): CustomKeyStoreNameInUseException {
  return new CustomKeyStoreNameInUseException(`A custom key store with the name '${name}' already exists in this account and Region.`);
}
