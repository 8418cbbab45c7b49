import { ConflictException, CustomKeyStoreNotFoundException } from '../../errors.js';
import type { CustomKeyStore } from '../../keys/custom-key-store.js';
import type { KeyScope } from '../../keys/key.js';
import { RevisionConflictError } from '../../store/store.js';
import type { ServiceDependencies } from '../services.js';

/** The custom key store of the caller's account and region with this id, or AWS's CustomKeyStoreNotFoundException. */
export async function findKeyStore(deps: ServiceDependencies, scope: KeyScope, id: string): Promise<CustomKeyStore> {
  const store = await deps.store.keyStores.get(scope, id);
  if (store === undefined) throw keyStoreNotFound(id);
  return store;
}

export function keyStoreNotFound(idOrName: string): CustomKeyStoreNotFoundException {
  return new CustomKeyStoreNotFoundException(`Custom key store '${idOrName}' does not exist.`);
}

const ATTEMPTS = 10;

/** The mutable fields of a store, each replaceable — or removable with `undefined`. */
export type KeyStoreFields = {
  -readonly [P in Exclude<keyof CustomKeyStore, 'id' | 'accountId' | 'region' | 'revision'>]?: CustomKeyStore[P] | undefined;
};

/**
 * Applies `change` to a store with optimistic concurrency, as `mutateKey` does for keys: when another request
 * changed the store first, it is read again and `change` re-run on the fresh copy (which may refuse).
 * Resolves with the stored store once the change is durable.
 */
export async function mutateKeyStore(
  deps: ServiceDependencies,
  store: CustomKeyStore,
  change: (current: CustomKeyStore) => KeyStoreFields,
): Promise<CustomKeyStore> {
  let current = store;
  for (let attempt = 1; ; attempt++) {
    const next = withFields(current, change(current));
    try {
      await deps.store.keyStores.update(next);
      return next;
    } catch (error) {
      if (!(error instanceof RevisionConflictError)) throw error;
      if (attempt >= ATTEMPTS) throw new ConflictException(`Custom key store '${store.id}' is being modified concurrently; retry.`);
      current = await findKeyStore(deps, store, store.id);
    }
  }
}

/** A field set to undefined (the connection error code once connected) is removed, not stored as undefined. */
function withFields(store: CustomKeyStore, fields: KeyStoreFields): CustomKeyStore {
  const next: Record<string, unknown> = { ...store, ...fields, revision: store.revision + 1 };
  for (const [name, value] of Object.entries(fields)) if (value === undefined) delete next[name];
  return next as unknown as CustomKeyStore;
}
