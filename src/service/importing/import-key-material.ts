import { unwrapImportedMaterial } from '../../crypto/import-wrapping.js';
import type { SecretBytes } from '../../crypto/secret-bytes.js';
import {
  IncorrectKeyMaterialException,
  InvalidCiphertextException,
  KMSInvalidStateException,
  UnsupportedOperationException,
  ValidationException,
} from '../../errors.js';
import { isPrimaryKey, isReplicaKey, type ExpirationModel, type ImportedMaterial, type KmsKey } from '../../keys/key.js';
import { isSymmetric } from '../../keys/key-spec.js';
import { wrapMaterial } from '../key-materials.js';
import { mutateRelatedKeys, type RelatedKeyChange } from '../key-mutation.js';
import { MaterialProblem, readImportedMaterial, type GivenMaterial } from '../seeding/given-material.js';
import { DAY_MS, type ServiceDependencies } from '../services.js';
import { assertImportable } from './import-parameters.js';
import { openImportToken } from './import-token.js';
import { importedMaterialId } from './imported-material-id.js';
import { stateWithImports } from './imported-key-state.js';

export type ImportType = 'NEW_KEY_MATERIAL' | 'EXISTING_KEY_MATERIAL';

/** An ImportKeyMaterial request in domain terms. */
export interface MaterialImport {
  readonly importToken: Buffer;
  readonly encryptedMaterial: Buffer;
  readonly expirationModel: ExpirationModel;
  /** Epoch ms; required with `KEY_MATERIAL_EXPIRES`, refused otherwise. */
  readonly validTo?: number;
  readonly importType?: ImportType;
  readonly materialId?: string;
  readonly description?: string;
}

/** AWS lets imported material live at most 365 days from the import. */
const MAX_VALIDITY_MS = 365 * DAY_MS;

/**
 * ImportKeyMaterial: unwraps the material with the token's wrapping key, checks it against the key's spec, and
 * stores it wrapped by the root key as the version its derived id names. The first import (or a re-import that
 * completes the key's material) makes the key `Enabled`; a symmetric key may take new material, which waits as
 * `PENDING_ROTATION` for RotateKeyOnDemand — on a multi-Region primary it is awaited in every replica too.
 * Resolves with the stored key and the material id.
 */
export async function importKeyMaterial(
  deps: ServiceDependencies,
  key: KmsKey,
  request: MaterialImport,
): Promise<{ key: KmsKey; materialId: string }> {
  assertImportable(key);
  checkRequest(key, request);
  if (key.state === 'PendingDeletion' || key.state === 'PendingReplicaDeletion') {
    throw new KMSInvalidStateException(`${key.arn} is pending deletion.`);
  }
  checkValidTo(request.validTo, deps.now());
  const material = unwrapMaterial(deps, key, request);
  try {
    const materialId = importedMaterialId(key.id, material);
    if (request.materialId !== undefined && request.materialId !== materialId) throw differentMaterial(key);
    const at = deps.now();
    const version = { id: materialId, createdAt: at, ...(material.publicKey ? { publicKey: material.publicKey } : {}) };
    const [stored] = await mutateRelatedKeys(deps, key, (related) => {
      const named = related.find((candidate) => candidate.arn === key.arn)!;
      const entries = named.importedMaterials ?? [];
      const existing = entries.find((entry) => entry.id === materialId);
      const importType = request.importType ?? (entries.length === 0 ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL');
      // A re-import keeps what the version was (its description unless a new one is given, its rotation), with
      // the expiry of this import.
      const description = request.description ?? existing?.description;
      const imported: ImportedMaterial = {
        id: materialId,
        state: 'IMPORTED',
        expirationModel: request.expirationModel,
        ...(request.validTo !== undefined ? { validTo: request.validTo } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(existing?.pendingRotation ? { pendingRotation: true } : {}),
        ...(existing?.rotatedAt !== undefined ? { rotatedAt: existing.rotatedAt } : {}),
      };
      if (importType === 'EXISTING_KEY_MATERIAL' || (existing && isReplicaKey(named))) {
        if (!existing) throw differentMaterial(named);
        return [replaceEntry(deps, named, imported, material, version)];
      }
      return newMaterialChanges(deps, named, related, imported, material, version);
    });
    return { key: stored!, materialId };
  } finally {
    material.secret.wipe();
  }
}

function checkRequest(key: KmsKey, request: MaterialImport): void {
  if (request.expirationModel === 'KEY_MATERIAL_EXPIRES') {
    if (request.validTo === undefined) {
      throw new ValidationException('A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
    }
  } else if (request.validTo !== undefined) {
    throw new ValidationException('A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE');
  }
  if (!isSymmetric(key.spec)) {
    for (const [member, value] of [
      ['ImportType', request.importType],
      ['KeyMaterialId', request.materialId],
      ['KeyMaterialDescription', request.description],
    ] as const) {
      if (value !== undefined) throw new ValidationException(`${member} is only valid for symmetric encryption keys.`);
    }
  }
  if (request.importType === 'NEW_KEY_MATERIAL' && request.materialId !== undefined) {
    throw new ValidationException('KeyMaterialId cannot be specified when ImportType is NEW_KEY_MATERIAL.');
  }
}

/** Checks ValidTo against the clock: in the future, and at most 365 days ahead. */
function checkValidTo(validTo: number | undefined, now: number): void {
  if (validTo === undefined) return;
  if (validTo <= now) throw new ValidationException('ValidTo must be a date and time in the future.');
  if (validTo > now + MAX_VALIDITY_MS) throw new ValidationException('ValidTo must be at most 365 days from now.');
}

function unwrapMaterial(deps: ServiceDependencies, key: KmsKey, request: MaterialImport): GivenMaterial {
  const parameters = openImportToken(deps.rootKey, key.arn, request.importToken, deps.now());
  let bytes: SecretBytes;
  try {
    bytes = unwrapImportedMaterial(parameters.algorithm, parameters.wrappingPrivateKey, request.encryptedMaterial);
  } catch {
    throw new InvalidCiphertextException('The encrypted key material could not be unwrapped with the import parameters.');
  } finally {
    parameters.wrappingPrivateKey.wipe();
  }
  try {
    return readImportedMaterial(key.spec, bytes);
  } catch (error) {
    if (error instanceof MaterialProblem) throw new IncorrectKeyMaterialException(`${error.message}.`);
    throw error;
  }
}

/** The material of a version the key already knows: stored again (anew, if it was there), with new expiry. */
function replaceEntry(
  deps: ServiceDependencies,
  key: KmsKey,
  imported: ImportedMaterial,
  material: GivenMaterial,
  version: { id: string; createdAt: number; publicKey?: Buffer },
): RelatedKeyChange {
  const entries = (key.importedMaterials ?? []).map((entry) => (entry.id === imported.id ? imported : entry));
  return {
    key,
    fields: { importedMaterials: entries, state: stateWithImports(key, entries) },
    removeMaterialIds: [imported.id],
    addMaterials: [wrapMaterial(deps, key.arn, version, material.secret)],
  };
}

/**
 * A version the key does not know. The first becomes current at once; a later one (symmetric keys only) waits
 * for RotateKeyOnDemand — one at a time, and on a multi-Region primary awaited by every replica as
 * `PENDING_IMPORT` until imported there with ImportType EXISTING_KEY_MATERIAL.
 */
function newMaterialChanges(
  deps: ServiceDependencies,
  key: KmsKey,
  related: readonly KmsKey[],
  imported: ImportedMaterial,
  material: GivenMaterial,
  version: { id: string; createdAt: number; publicKey?: Buffer },
): RelatedKeyChange[] {
  if (isReplicaKey(key)) {
    throw new UnsupportedOperationException(
      `${key.arn} is not a multi-region primary key. Import new key material into the primary key.`,
    );
  }
  const entries = key.importedMaterials ?? [];
  const stored = wrapMaterial(deps, key.arn, version, material.secret);
  if (entries.length === 0) {
    const first = [imported];
    return [{ key, fields: { importedMaterials: first, currentMaterialId: imported.id, state: stateWithImports(key, first) }, addMaterials: [stored] }];
  }
  if (entries.some((entry) => entry.id === imported.id)) throw differentMaterial(key, 'is already imported into this key');
  const pending = entries.find((entry) => entry.pendingRotation);
  if (pending) {
    throw new KMSInvalidStateException(
      `New key material (id: ${imported.id}) cannot be imported into KMS key ${key.arn}, because another key material ` +
        `(id: ${pending.id}) is pending rotation.`,
    );
  }
  const awaited: ImportedMaterial = { id: imported.id, state: 'PENDING_IMPORT', pendingRotation: true };
  const changes: RelatedKeyChange[] = [
    { key, fields: { importedMaterials: [...entries, { ...imported, pendingRotation: true }] }, addMaterials: [stored] },
  ];
  if (isPrimaryKey(key)) {
    for (const replica of related.filter((candidate) => candidate.arn !== key.arn)) {
      changes.push({ key: replica, fields: { importedMaterials: [...(replica.importedMaterials ?? []), awaited] } });
    }
  }
  return changes;
}

function differentMaterial(key: KmsKey, why = 'does not match the key material previously imported into this key'): IncorrectKeyMaterialException {
  return new IncorrectKeyMaterialException(`The key material ${why}: ${key.arn}.`);
}
