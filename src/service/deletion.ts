import { KMSInvalidStateException } from '../errors.js';
import { isPrimaryKey, isReplicaKey, type KmsKey } from '../keys/key.js';
import { destroyKeyInStore, keyStoreOf, tokenKeyOf } from './custom-key-stores/store-keys.js';
import { forgetCachedMaterial } from './key-materials.js';
import { mutateKey } from './key-mutation.js';
import { DAY_MS, type ServiceDependencies } from './services.js';

export const DEFAULT_PENDING_WINDOW_DAYS = 30;

export async function scheduleKeyDeletion(
  deps: ServiceDependencies,
  key: KmsKey,
  pendingWindowInDays: number = DEFAULT_PENDING_WINDOW_DAYS,
): Promise<KmsKey> {
  // A multi-Region primary outlives its replicas: it waits in PendingReplicaDeletion until the last one is
  // deleted, and only then does its own waiting period begin (`deleteKeyForGood`).
  const hasReplicas = isPrimaryKey(key) && (await deps.store.keys.listRelated(key.accountId, key.id)).length > 1;
  return mutateKey(deps, key, (current) => {
    if (current.state === 'PendingDeletion' || current.state === 'PendingReplicaDeletion') {
      throw new KMSInvalidStateException(`${current.arn} is pending deletion.`);
    }
    if (hasReplicas) return { fields: { state: 'PendingReplicaDeletion', pendingWindowInDays } };
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
    if (current.state !== 'PendingDeletion' && current.state !== 'PendingReplicaDeletion') {
      throw new KMSInvalidStateException(`${current.arn} is not pending deletion.`);
    }
    return { fields: { state: 'Disabled', deletionAt: undefined, pendingWindowInDays: undefined } };
  });
}

/**
 * Deletes a key whose waiting period is over, with all its material and aliases (background job). When it was the
 * last replica of a primary waiting in PendingReplicaDeletion, the primary's own waiting period begins.
 */
export async function deleteKeyForGood(deps: ServiceDependencies, key: KmsKey): Promise<void> {
  // A key in a CloudHSM key store: its object in the token goes first, so that a token out of reach leaves the key
  // PendingDeletion, tried again on the next run, rather than its material orphaned in the HSM (ADR 0022). An external
  // key is the external key manager's: KMS never deletes it (ADR 0023).
  const store = await keyStoreOf(deps, key);
  if (store?.type === 'AWS_CLOUDHSM') await destroyKeyInStore(deps, store, tokenKeyOf(key));
  const materials = await deps.store.keys.listMaterials(key.arn);
  await deps.store.keys.delete(key, key.id);
  for (const material of materials) forgetCachedMaterial(deps, key.arn, material.id);
  if (isReplicaKey(key)) await startPrimaryDeletionAfterReplicas(deps, key);
}

async function startPrimaryDeletionAfterReplicas(deps: ServiceDependencies, replica: KmsKey): Promise<void> {
  const related = await deps.store.keys.listRelated(replica.accountId, replica.id);
  const primary = related.find((key) => isPrimaryKey(key));
  if (primary?.state !== 'PendingReplicaDeletion' || related.length > 1) return;
  await mutateKey(deps, primary, (current) => {
    if (current.state !== 'PendingReplicaDeletion') return { fields: {} };
    const window = current.pendingWindowInDays ?? DEFAULT_PENDING_WINDOW_DAYS;
    return { fields: { state: 'PendingDeletion', deletionAt: deps.now() + window * DAY_MS } };
  });
}
