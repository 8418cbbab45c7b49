import { keyOperation } from '../operation.js';
import { importKeyMaterial } from '../../service/importing/import-key-material.js';

/**
 * Imports (or re-imports) key material wrapped with the public key of GetParametersForImport. ExpirationModel
 * defaults to KEY_MATERIAL_EXPIRES, as at AWS, which then requires ValidTo.
 */
export const ImportKeyMaterial = keyOperation({
  name: 'ImportKeyMaterial',
  action: 'kms:ImportKeyMaterial',
  readOnly: false,
  // The service judges the state: PendingImport and Enabled keys take material, keys pending deletion do not.
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input, key }, deps) {
    const imported = await importKeyMaterial(deps, key, {
      importToken: input.ImportToken,
      encryptedMaterial: input.EncryptedKeyMaterial,
      expirationModel: input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES',
      ...(input.ValidTo !== undefined ? { validTo: input.ValidTo.getTime() } : {}),
      ...(input.ImportType !== undefined ? { importType: input.ImportType } : {}),
      ...(input.KeyMaterialId !== undefined ? { materialId: input.KeyMaterialId } : {}),
      ...(input.KeyMaterialDescription !== undefined ? { description: input.KeyMaterialDescription } : {}),
    });
    return { KeyId: imported.key.arn, KeyMaterialId: imported.materialId };
  },
});
