import { keyOperation } from '../operation.js';
import { deleteImportedMaterial } from '../../service/importing/delete-imported-material.js';

/** Deletes imported key material (the current version unless KeyMaterialId names another): the key waits in PendingImport. */
export const DeleteImportedKeyMaterial = keyOperation({
  name: 'DeleteImportedKeyMaterial',
  action: 'kms:DeleteImportedKeyMaterial',
  readOnly: false,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input, key }, deps) {
    const deleted = await deleteImportedMaterial(deps, key, input.KeyMaterialId);
    return { KeyId: deleted.key.arn, KeyMaterialId: deleted.materialId };
  },
});
