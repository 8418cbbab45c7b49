import type { ImportedMaterial, KeyMaterial, KmsKey } from '../../keys/key.js';
import type { RotationsListEntry } from '../generated/kms-shapes.js';
import { keyOperation } from '../operation.js';
import { pageOfList, pageRequest, pagingMembers } from '../wire/paging.js';
import { assertMaterialRotatable } from '../../service/rotation.js';

/**
 * A key's material versions, oldest first. `ROTATIONS_ONLY` (the default) lists the versions rotations made;
 * `ALL_KEY_MATERIAL` also lists the key's first material, which no rotation made. A key of origin EXTERNAL lists
 * every version imported or awaited, with its import state and expiry.
 */
export const ListKeyRotations = keyOperation({
  name: 'ListKeyRotations',
  action: 'kms:ListKeyRotations',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input, key }, deps) {
    assertMaterialRotatable(key);
    if (key.origin === 'EXTERNAL') {
      const imported = key.importedMaterials ?? [];
      const page = pageOfList('rotations', imported, pageRequest(input, { default: 100, max: 1000 }));
      return { Rotations: page.items.map((material) => toImportedEntry(key, material)), ...pagingMembers(page) };
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

function toImportedEntry(key: KmsKey, material: ImportedMaterial): RotationsListEntry {
  return {
    KeyId: key.id,
    KeyMaterialId: material.id,
    ...(material.description !== undefined ? { KeyMaterialDescription: material.description } : {}),
    ImportState: material.state,
    KeyMaterialState: importedMaterialState(key, material),
    ...(material.expirationModel !== undefined ? { ExpirationModel: material.expirationModel } : {}),
    ...(material.validTo !== undefined ? { ValidTo: new Date(material.validTo) } : {}),
    ...(material.rotatedAt !== undefined ? { RotationDate: new Date(material.rotatedAt), RotationType: 'ON_DEMAND' as const } : {}),
  };
}

/**
 * CURRENT, NON_CURRENT, or PENDING_ROTATION while it awaits RotateKeyOnDemand. (AWS's
 * PENDING_MULTI_REGION_IMPORT_AND_ROTATION, a primary's new material not yet imported into every replica, would
 * need the replicas' records; RotateKeyOnDemand checks them itself and says which is missing.)
 */
function importedMaterialState(key: KmsKey, material: ImportedMaterial): NonNullable<RotationsListEntry['KeyMaterialState']> {
  if (material.id === key.currentMaterialId) return 'CURRENT';
  return material.pendingRotation ? 'PENDING_ROTATION' : 'NON_CURRENT';
}
