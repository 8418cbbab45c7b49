import { KMSInvalidStateException } from '../errors.js';
import type { KmsKey } from '../keys/key.js';
import { materialCacheKey } from './key-materials.js';
import { mutateKey } from './key-mutation.js';
import { DAY_MS, type ServiceDependencies } from './services.js';

export const DEFAULT_PENDING_WINDOW_DAYS = 30;

export async function scheduleKeyDeletion(
  deps: ServiceDependencies,
  key: KmsKey,
  pendingWindowInDays: number = DEFAULT_PENDING_WINDOW_DAYS,
): Promise<KmsKey> {
  return mutateKey(deps, key, (current) => {
    if (current.state === 'PendingDeletion') {
      throw new KMSInvalidStateException(`${current.arn} is pending deletion.`);
    }
    return {
      fields: {
        state: 'PendingDeletion',
        deletionAt: deps.now() + pendingWindowInDays * DAY_MS,
        pendingWindowInDays,
      },
    };
  });
}

/** Cancelling leaves the key `Disabled`, as AWS does: the owner enables it deliberately. */
export async function cancelKeyDeletion(deps: ServiceDependencies, key: KmsKey): Promise<KmsKey> {
  return mutateKey(deps, key, (current) => {
    if (current.state !== 'PendingDeletion') {
      throw new KMSInvalidStateException(`${current.arn} is not pending deletion.`);
    }
    return { fields: { state: 'Disabled', deletionAt: undefined, pendingWindowInDays: undefined } };
  });
}

/** Deletes a key whose waiting period is over, with all its material and aliases (background job). */
export async function deleteKeyForGood(deps: ServiceDependencies, key: KmsKey): Promise<void> {
  const materials = await deps.store.keys.listMaterials(key.arn);
  await deps.store.keys.delete(key, key.id);
  for (const material of materials) {
    deps.materials.delete(materialCacheKey(key.arn, material.id));
    deps.privateKeys.delete(materialCacheKey(key.arn, material.id));
  }
}
