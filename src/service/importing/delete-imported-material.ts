import { KMSInvalidStateException, NotFoundException } from '../../errors.js';
import { isPrimaryKey, type ImportedMaterial, type KmsKey } from '../../keys/key.js';
import { forgetCachedMaterial } from '../key-materials.js';
import { mutateKey, mutateRelatedKeys, type KeyChange } from '../key-mutation.js';
import type { ServiceDependencies } from '../services.js';
import { assertImportable } from './import-parameters.js';
import { stateWithImports } from './imported-key-state.js';

/**
 * DeleteImportedKeyMaterial: deletes one imported version (the current one unless `materialId` names another) —
 * its wrapped bytes leave the store, not merely flagged — and the key becomes `PendingImport` until the same
 * material is imported again (a key pending deletion stays so). The id stays listed, `PENDING_IMPORT`. A
 * multi-Region primary's material awaiting rotation is deleted from its replicas too, as AWS does.
 */
export async function deleteImportedMaterial(
  deps: ServiceDependencies,
  key: KmsKey,
  materialId?: string,
): Promise<{ key: KmsKey; materialId: string }> {
  assertImportable(key);
  let deleted = '';
  let touched: readonly KmsKey[] = [];
  const [stored] = await mutateRelatedKeys(deps, key, (related) => {
    const current = related.find((candidate) => candidate.arn === key.arn)!;
    const target = materialId ?? current.currentMaterialId;
    const entry = current.importedMaterials?.find((candidate) => candidate.id === target);
    if (target === undefined || entry === undefined) {
      if (materialId !== undefined) throw new NotFoundException(`Key material ${materialId} is not associated with ${current.arn}.`);
      throw new KMSInvalidStateException(`${current.arn} is pending import.`);
    }
    if (entry.state !== 'IMPORTED') throw new KMSInvalidStateException(`${current.arn} is pending import.`);
    deleted = entry.id;
    // AWS: deleting a primary's material that awaits rotation deletes it from the replicas too.
    touched = isPrimaryKey(current) && entry.pendingRotation
      ? [current, ...related.filter((other) => other !== current && hasImported(other, entry.id))]
      : [current];
    return touched.map((one) => ({ key: one, ...withoutMaterials(one, [entry.id]) }));
  });
  for (const one of touched) forgetCachedMaterial(deps, one.arn, deleted);
  return { key: stored!, materialId: deleted };
}

function hasImported(key: KmsKey, materialId: string): boolean {
  return key.importedMaterials?.some((entry) => entry.id === materialId && entry.state === 'IMPORTED') ?? false;
}

/**
 * The background job's part: deletes every imported version of `key` whose `validTo` has passed, as AWS does at
 * expiry. Resolves with the stored key, or undefined when nothing had expired (another process got there first).
 */
export async function deleteExpiredMaterial(deps: ServiceDependencies, key: KmsKey, now: number): Promise<KmsKey | undefined> {
  let expired: string[] = [];
  let stored: KmsKey;
  try {
    stored = await mutateKey(deps, key, (current) => {
      expired = (current.importedMaterials ?? [])
        .filter((entry) => entry.state === 'IMPORTED' && entry.validTo !== undefined && entry.validTo <= now)
        .map((entry) => entry.id);
      if (expired.length === 0) throw new NothingExpired();
      return withoutMaterials(current, expired);
    });
  } catch (error) {
    if (error instanceof NothingExpired) return undefined;
    throw error;
  }
  for (const id of expired) forgetCachedMaterial(deps, key.arn, id);
  return stored;
}

/** Thrown inside the expiry job's change when the re-read key has nothing expired (another process was first). */
class NothingExpired extends Error {}

/** The change that deletes the named imported versions of a key: their rows go, their entries say PENDING_IMPORT. */
function withoutMaterials(key: KmsKey, ids: readonly string[]): KeyChange {
  const entries = (key.importedMaterials ?? []).map((entry): ImportedMaterial => {
    if (!ids.includes(entry.id)) return entry;
    const { expirationModel: _model, validTo: _validTo, ...kept } = entry;
    return { ...kept, state: 'PENDING_IMPORT' };
  });
  return {
    fields: { importedMaterials: entries, state: stateWithImports(key, entries) },
    removeMaterialIds: ids,
  };
}
