import type { KeyMaterial, KmsKey } from '../../keys/key.js';
import type { RotationsListEntry } from '../generated/kms-shapes.js';
import { keyOperation } from '../operation.js';
import { pageOfList, pageRequest, pagingMembers } from '../wire/paging.js';
import { assertRotatable } from '../../service/rotation.js';

/**
 * A key's material versions, oldest first. `ROTATIONS_ONLY` (the default) lists the versions rotations made;
 * `ALL_KEY_MATERIAL` also lists the key's first material, which no rotation made.
 */
export const ListKeyRotations = keyOperation({
  name: 'ListKeyRotations',
  action: 'kms:ListKeyRotations',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input, key }, deps) {
    assertRotatable(key);
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
