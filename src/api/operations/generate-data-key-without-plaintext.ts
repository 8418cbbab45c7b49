import { keyOperation } from '../operation.js';
import { dataKeyLength, generateDataKey } from '../../service/data-keys.js';
import { dataKeyDeclaration } from './generate-data-key.js';

/** GenerateDataKey for a caller who stores the encrypted data key now and decrypts it later. */
export const GenerateDataKeyWithoutPlaintext = keyOperation({
  name: 'GenerateDataKeyWithoutPlaintext',
  action: 'kms:GenerateDataKeyWithoutPlaintext',
  readOnly: true,
  key: dataKeyDeclaration(),
  async handle({ input, key, deps }) {
    const length = dataKeyLength({ keySpec: input.KeySpec, numberOfBytes: input.NumberOfBytes });
    const dataKey = await generateDataKey(deps, key.key, length, input.EncryptionContext ?? {});
    // The plaintext data key is never returned: its life ends as soon as it is encrypted.
    dataKey.plaintext.wipe();
    return { CiphertextBlob: dataKey.ciphertext, KeyId: key.key.arn, KeyMaterialId: dataKey.materialId };
  },
});
