import { keyOperation, type KeyDeclaration } from '../operation.js';
import { dataKeyLength, generateDataKey } from '../../service/data-keys.js';
import { refuseRecipient } from '../wire/recipient.js';

/**
 * How both GenerateDataKey operations name their key. `KeySpec` and `NumberOfBytes` are checked before the key
 * is looked up, as AWS does: a request with neither or both fails the same way whatever its key.
 */
export function dataKeyDeclaration<Op extends 'GenerateDataKey' | 'GenerateDataKeyWithoutPlaintext'>(): KeyDeclaration<Op> {
  return {
    reference: (input) => {
      dataKeyLength({ keySpec: input.KeySpec, numberOfBytes: input.NumberOfBytes });
      return input.KeyId;
    },
    acceptsAlias: true,
    states: 'use',
    usages: ['ENCRYPT_DECRYPT'],
  };
}

/** Returns a fresh data key in plaintext and encrypted under the KMS key. */
export const GenerateDataKey = keyOperation({
  name: 'GenerateDataKey',
  action: 'kms:GenerateDataKey',
  readOnly: true,
  key: dataKeyDeclaration(),
  async handle({ input, key, deps }) {
    refuseRecipient(input.Recipient);
    const length = dataKeyLength({ keySpec: input.KeySpec, numberOfBytes: input.NumberOfBytes });
    const dataKey = await generateDataKey(deps, key.key, length, input.EncryptionContext ?? {});
    return {
      CiphertextBlob: dataKey.ciphertext,
      Plaintext: dataKey.plaintext.expose(),
      KeyId: key.key.arn,
      KeyMaterialId: dataKey.materialId,
    };
  },
});
