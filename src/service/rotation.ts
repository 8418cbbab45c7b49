import { LimitExceededException, UnsupportedOperationException } from '../errors.js';
import type { KmsKey } from '../keys/key.js';
import { KEY_SPECS } from '../keys/key-spec.js';
import { newSymmetricMaterial } from './key-materials.js';
import { mutateKey } from './key-mutation.js';
import { DAY_MS, type ServiceDependencies } from './services.js';

export const DEFAULT_ROTATION_PERIOD_DAYS = 365;
/** AWS allows 25 on-demand rotations over the life of a key. */
export const MAX_ON_DEMAND_ROTATIONS = 25;

/**
 * Rotation exists only for keys of a rotatable spec (symmetric encryption keys) whose material AWS KMS
 * generated; AWS answers every rotation operation, reads included, for any other key with
 * `UnsupportedOperationException`.
 */
export function assertRotatable(key: KmsKey): void {
  if (!KEY_SPECS[key.spec].rotatable || key.origin !== 'AWS_KMS') {
    // AWS answers without a message (recorded: RotateKeyOnDemand of an RSA key).
    throw new UnsupportedOperationException('');
  }
}

export async function enableAutomaticRotation(
  deps: ServiceDependencies,
  key: KmsKey,
  periodInDays: number = DEFAULT_ROTATION_PERIOD_DAYS,
): Promise<KmsKey> {
  assertRotatable(key);
  return mutateKey(deps, key, (current) => ({
    fields: {
      rotation: {
        ...current.rotation,
        enabled: true,
        periodInDays,
        nextRotationAt: deps.now() + periodInDays * DAY_MS,
      },
    },
  }));
}

export async function disableAutomaticRotation(deps: ServiceDependencies, key: KmsKey): Promise<KmsKey> {
  assertRotatable(key);
  return mutateKey(deps, key, (current) => {
    const { nextRotationAt: _dropped, ...rest } = current.rotation;
    return { fields: { rotation: { ...rest, enabled: false } } };
  });
}

/** Rotates now: appends new material that new ciphertexts use; older versions keep decrypting. */
export async function rotateOnDemand(deps: ServiceDependencies, key: KmsKey): Promise<KmsKey> {
  assertRotatable(key);
  const onDemandCount = (await deps.store.keys.listMaterials(key.arn)).filter(
    (material) => material.rotationType === 'ON_DEMAND',
  ).length;
  if (onDemandCount >= MAX_ON_DEMAND_ROTATIONS) {
    throw new LimitExceededException(
      'The on-demand rotations limit has been reached for the given keyId. ' +
        `No more on-demand rotations can be performed for this key: ${key.arn}`,
    );
  }
  const material = newSymmetricMaterial(deps, key.arn, 'ON_DEMAND');
  return mutateKey(deps, key, (current) => ({
    fields: {
      currentMaterialId: material.id,
      rotation: { ...current.rotation, lastOnDemandRotationAt: material.createdAt },
    },
    newMaterial: material,
  }));
}

/** Thrown inside a rotation whose key another process rotated (or changed) first: there is nothing to do. */
export class RotationNoLongerDue extends Error {}

/**
 * The scheduled rotation of a key whose `nextRotationAt` has passed (run by the background jobs). If another
 * process rotated the key meanwhile, the re-read key is no longer due and `RotationNoLongerDue` is thrown.
 */
export async function rotateAutomatically(deps: ServiceDependencies, key: KmsKey): Promise<KmsKey> {
  const material = newSymmetricMaterial(deps, key.arn, 'AUTOMATIC');
  return mutateKey(deps, key, (current) => {
    const next = current.rotation.nextRotationAt;
    if (!current.rotation.enabled || next === undefined || next > material.createdAt) throw new RotationNoLongerDue();
    return {
      fields: {
        currentMaterialId: material.id,
        rotation: { ...current.rotation, nextRotationAt: material.createdAt + current.rotation.periodInDays * DAY_MS },
      },
      newMaterial: material,
    };
  });
}
