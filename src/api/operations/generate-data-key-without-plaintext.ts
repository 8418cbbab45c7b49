import { keyOperation } from '../operation.js';
import { dataKeyLength, generateDataKey } from '../../service/data-keys.js';
import { stated } from '../wire/request-terms.js';

/** GenerateDataKey for a caller who stores the encrypted data key now and decrypts it later. */
export const GenerateDataKeyWithoutPlaintext = keyOperation({
  name: 'GenerateDataKeyWithoutPlaintext',
  action: 'kms:GenerateDataKeyWithoutPlaintext',
  readOnly: true,
  terms: (input) => stated({ encryptionContext: input.EncryptionContext, grantTokens: input.GrantTokens }),
  // As GenerateDataKey: `KeySpec`/`NumberOfBytes` are checked before the key is looked up.
  validate: (input) => dataKeyLength({ keySpec: input.KeySpec, numberOfBytes: input.NumberOfBytes }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['ENCRYPT_DECRYPT'] },
  async handle({ input, validated: length, key }, deps) {
    const dataKey = await generateDataKey(deps, key, length, input.EncryptionContext ?? {});
    // The plaintext data key is never returned: its life ends as soon as it is encrypted.
    dataKey.plaintext.wipe();
    return { CiphertextBlob: dataKey.ciphertext, KeyId: key.arn, KeyMaterialId: dataKey.materialId };
  },
});
