import { KMSInvalidStateException, LimitExceededException, UnsupportedOperationException } from '../errors.js';
import { SecretBytes } from '../crypto/secret-bytes.js';
import { isReplicaKey, type KmsKey, type RotationType } from '../keys/key.js';
import { KEY_SPECS } from '../keys/key-spec.js';
import { materialCacheKey, SYMMETRIC_KEY_BYTES, wrapMaterial } from './key-materials.js';
import { mutateRelatedKeys, type RelatedKeyChange } from './key-mutation.js';
import { DAY_MS, type ServiceDependencies } from './services.js';

export const DEFAULT_ROTATION_PERIOD_DAYS = 365;
/** AWS allows 25 on-demand rotations over the life of a key. */
export const MAX_ON_DEMAND_ROTATIONS = 25;

/**
 * Automatic rotation exists only for keys of a rotatable spec (symmetric encryption keys) whose material AWS KMS
 * generated; AWS answers every automatic-rotation operation, reads included, for any other key with
 * `UnsupportedOperationException`.
 */
export function assertRotatable(key: KmsKey): void {
  if (!KEY_SPECS[key.spec].rotatable || key.origin !== 'AWS_KMS') {
    // AWS answers without a message (recorded: RotateKeyOnDemand of an RSA key).
    throw new UnsupportedOperationException('');
  }
}

/**
 * Whether a key has material versions to list (ListKeyRotations) and rotate on demand: symmetric encryption keys,
 * with generated material or imported (a new import awaits RotateKeyOnDemand).
 */
export function assertMaterialRotatable(key: KmsKey): void {
  if (!KEY_SPECS[key.spec].rotatable || (key.origin !== 'AWS_KMS' && key.origin !== 'EXTERNAL')) {
    throw new UnsupportedOperationException('');
  }
}

/** A multi-Region key's shared properties change only through its primary (AWS's "not a primary key" refusal). */
export function assertNotReplica(key: KmsKey): void {
  if (isReplicaKey(key)) throw new UnsupportedOperationException(`${key.arn} is not a multi-region primary key.`);
}

export async function enableAutomaticRotation(
  deps: ServiceDependencies,
  key: KmsKey,
  periodInDays: number = DEFAULT_ROTATION_PERIOD_DAYS,
): Promise<KmsKey> {
  assertRotatable(key);
  assertNotReplica(key);
  const nextRotationAt = deps.now() + periodInDays * DAY_MS;
  return changeShared(deps, key, (related) => ({
    key: related,
    fields: { rotation: { ...related.rotation, enabled: true, periodInDays, nextRotationAt } },
  }));
}

export async function disableAutomaticRotation(deps: ServiceDependencies, key: KmsKey): Promise<KmsKey> {
  assertRotatable(key);
  assertNotReplica(key);
  return changeShared(deps, key, (related) => {
    const { nextRotationAt: _dropped, ...rest } = related.rotation;
    return { key: related, fields: { rotation: { ...rest, enabled: false } } };
  });
}

/**
 * Rotates now: appends new material that new ciphertexts use; older versions keep decrypting. A key of origin
 * EXTERNAL rotates to the material imported for it with ImportType NEW_KEY_MATERIAL instead.
 */
export async function rotateOnDemand(deps: ServiceDependencies, key: KmsKey): Promise<KmsKey> {
  assertMaterialRotatable(key);
  assertNotReplica(key);
  if (key.origin === 'EXTERNAL') return rotateToImportedMaterial(deps, key);
  const onDemandCount = (await deps.store.keys.listMaterials(key.arn)).filter(
    (material) => material.rotationType === 'ON_DEMAND',
  ).length;
  if (onDemandCount >= MAX_ON_DEMAND_ROTATIONS) {
    throw new LimitExceededException(
      'The on-demand rotations limit has been reached for the given keyId. ' +
        `No more on-demand rotations can be performed for this key: ${key.arn}`,
    );
  }
  return rotateToNewMaterial(deps, key, 'ON_DEMAND', (rotation, at) => ({ ...rotation, lastOnDemandRotationAt: at }));
}

/** Thrown inside a rotation whose key another process rotated (or changed) first: there is nothing to do. */
export class RotationNoLongerDue extends Error {}

/**
 * The scheduled rotation of a key whose `nextRotationAt` has passed (run by the background jobs). If another
 * process rotated the key meanwhile, the re-read key is no longer due and `RotationNoLongerDue` is thrown.
 */
export async function rotateAutomatically(deps: ServiceDependencies, key: KmsKey): Promise<KmsKey> {
  return rotateToNewMaterial(deps, key, 'AUTOMATIC', (rotation, at, named) => {
    const next = named.rotation.nextRotationAt;
    if (!named.rotation.enabled || next === undefined || next > at) throw new RotationNoLongerDue();
    return { ...rotation, nextRotationAt: at + named.rotation.periodInDays * DAY_MS };
  });
}

/**
 * Appends a new version of 32 random bytes to the key — and, for a multi-Region primary, to every replica with the
 * same id, in the same transaction (ADR 0020) — and makes it current. The plaintext goes straight into the cache.
 */
async function rotateToNewMaterial(
  deps: ServiceDependencies,
  key: KmsKey,
  rotationType: RotationType,
  nextRotation: (rotation: KmsKey['rotation'], at: number, named: KmsKey) => KmsKey['rotation'],
): Promise<KmsKey> {
  const secret = SecretBytes.random(SYMMETRIC_KEY_BYTES);
  const version = { id: deps.newMaterialId(), createdAt: deps.now(), rotationType };
  deps.materials.set(materialCacheKey(key.arn, version.id), secret);
  return changeShared(deps, key, (related, named) => ({
    key: related,
    fields: { currentMaterialId: version.id, rotation: nextRotation(related.rotation, version.createdAt, named) },
    addMaterials: [wrapMaterial(deps, related.arn, version, secret)],
  }));
}

/** RotateKeyOnDemand of a key of origin EXTERNAL: the material pending rotation becomes current everywhere. */
async function rotateToImportedMaterial(deps: ServiceDependencies, key: KmsKey): Promise<KmsKey> {
  const at = deps.now();
  return changeShared(deps, key, (related, named) => {
    const pending = named.importedMaterials?.find((material) => material.pendingRotation);
    if (pending === undefined) {
      throw new KMSInvalidStateException(`No available key material pending rotation for the key: ${named.arn}.`);
    }
    const imported = related.importedMaterials?.find((material) => material.id === pending.id);
    if (imported?.state !== 'IMPORTED') {
      throw new KMSInvalidStateException(
        `Key material ${pending.id} must be imported into every replica of ${named.arn} before it can be rotated in.`,
      );
    }
    return {
      key: related,
      fields: {
        currentMaterialId: pending.id,
        importedMaterials: (related.importedMaterials ?? []).map((material) => {
          if (material.id !== pending.id) return material;
          const { pendingRotation: _done, ...rest } = material;
          return { ...rest, rotatedAt: at };
        }),
        rotation: { ...related.rotation, lastOnDemandRotationAt: at },
      },
    };
  });
}

/**
 * Changes a shared property (rotation, material) of `key` and, when it is a multi-Region primary, of every related
 * key alike, in one transaction. `change` sees each related key and the named key as stored now; a single-Region
 * key is its own only relative. Resolves with the named key as stored.
 */
async function changeShared(
  deps: ServiceDependencies,
  key: KmsKey,
  change: (related: KmsKey, named: KmsKey) => RelatedKeyChange,
): Promise<KmsKey> {
  const [changed] = await mutateRelatedKeys(deps, key, (related) => {
    const named = related.find((candidate) => candidate.arn === key.arn)!;
    return [named, ...related.filter((candidate) => candidate !== named)].map((one) => change(one, named));
  });
  return changed!;
}
