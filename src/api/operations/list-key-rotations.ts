import { isPrimaryKey, type ImportedMaterial, type KeyMaterial, type KmsKey } from '../../keys/key.js';
import type { ServiceDependencies } from '../../service/services.js';
import type { RotationsListEntry } from '../generated/kms-shapes.js';
import { keyOperation } from '../operation.js';
import { pageOfList, pageRequest, pagingMembers } from '../wire/paging.js';
import { assertMaterialRotatable } from '../../service/rotation.js';

/**
 * A key's material versions, oldest first. `ROTATIONS_ONLY` (the default) lists the versions rotations made;
 * `ALL_KEY_MATERIAL` also lists the key's first material, which no rotation made. For a key of origin EXTERNAL,
 * `ALL_KEY_MATERIAL` lists every version imported or awaited, with its import state and expiry.
 */
export const ListKeyRotations = keyOperation({
  name: 'ListKeyRotations',
  action: 'kms:ListKeyRotations',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input, key }, deps) {
    assertMaterialRotatable(key);
    if (key.origin === 'EXTERNAL') {
      const imported = (key.importedMaterials ?? []).filter(
        (material) => input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL' || material.rotatedAt !== undefined,
      );
      const awaitedByReplicas = await materialsAwaitedByReplicas(deps, key);
      const page = pageOfList('rotations', imported, pageRequest(input, { default: 100, max: 1000 }));
      return {
        Rotations: page.items.map((material) => toImportedEntry(key, material, awaitedByReplicas.has(material.id))),
        ...pagingMembers(page),
      };
    }
    const materials = await deps.store.keys.listMaterials(key.arn);
    const listed =
      input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL'
        ? materials
        : materials.filter((material) => material.rotationType !== undefined);
    const page = pageOfList('rotations', listed, pageRequest(input, { default: 100, max: 1000 }));
    return { Rotations: page.items.map((material) => toRotationsEntry(key, material)), ...pagingMembers(page) };
  },
});

function toRotationsEntry(key: KmsKey, material: KeyMaterial): RotationsListEntry {
  return {
    KeyId: key.id,
    KeyMaterialId: material.id,
    KeyMaterialState: material.id === key.currentMaterialId ? 'CURRENT' : 'NON_CURRENT',
    ...(material.rotationType !== undefined
      ? { RotationDate: new Date(material.createdAt), RotationType: material.rotationType }
      : {}),
  };
}

/** The ids of a multi-Region primary's materials pending rotation that some replica has not imported yet. */
async function materialsAwaitedByReplicas(deps: ServiceDependencies, key: KmsKey): Promise<ReadonlySet<string>> {
  const pending = (key.importedMaterials ?? []).filter((material) => material.pendingRotation);
  if (!isPrimaryKey(key) || pending.length === 0) return new Set();
  const replicas = (await deps.store.keys.listRelated(key.accountId, key.id)).filter((related) => related.arn !== key.arn);
  return new Set(
    pending
      .filter((material) => replicas.some((replica) =>
        replica.importedMaterials?.find((entry) => entry.id === material.id)?.state !== 'IMPORTED'))
      .map((material) => material.id),
  );
}

function toImportedEntry(key: KmsKey, material: ImportedMaterial, awaitedByReplicas: boolean): RotationsListEntry {
  return {
    KeyId: key.id,
    KeyMaterialId: material.id,
    ...(material.description !== undefined ? { KeyMaterialDescription: material.description } : {}),
    ImportState: material.state,
    KeyMaterialState: importedMaterialState(key, material, awaitedByReplicas),
    ...(material.expirationModel !== undefined ? { ExpirationModel: material.expirationModel } : {}),
    ...(material.validTo !== undefined ? { ValidTo: new Date(material.validTo) } : {}),
    ...(material.rotatedAt !== undefined ? { RotationDate: new Date(material.rotatedAt), RotationType: 'ON_DEMAND' as const } : {}),
  };
}

/**
 * CURRENT, NON_CURRENT, or awaiting RotateKeyOnDemand: PENDING_MULTI_REGION_IMPORT_AND_ROTATION while a replica of
 * the multi-Region primary still has to import it, PENDING_ROTATION once it could be rotated in.
 */
function importedMaterialState(
  key: KmsKey,
  material: ImportedMaterial,
  awaitedByReplicas: boolean,
): NonNullable<RotationsListEntry['KeyMaterialState']> {
  if (material.id === key.currentMaterialId) return 'CURRENT';
  if (!material.pendingRotation) return 'NON_CURRENT';
  return awaitedByReplicas ? 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION' : 'PENDING_ROTATION';
}
