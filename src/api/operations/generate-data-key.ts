import { keyOperation } from '../operation.js';
import { dataKeyLength, generateDataKey } from '../../service/data-keys.js';
import { refuseRecipient } from '../wire/recipient.js';
import { stated } from '../wire/request-terms.js';

/** Returns a fresh data key in plaintext and encrypted under the KMS key. */
export const GenerateDataKey = keyOperation({
  name: 'GenerateDataKey',
  action: 'kms:GenerateDataKey',
  readOnly: true,
  terms: (input) => stated({ encryptionContext: input.EncryptionContext, grantTokens: input.GrantTokens }),
  // Checked before the key is looked up, as AWS does: a request with neither or both of `KeySpec` and
  // `NumberOfBytes` fails the same way whatever its key. The length goes on to the handler.
  validate: (input) => dataKeyLength({ keySpec: input.KeySpec, numberOfBytes: input.NumberOfBytes }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['ENCRYPT_DECRYPT'] },
  async handle({ input, validated: length, key }, deps) {
    refuseRecipient(input.Recipient);
    const dataKey = await generateDataKey(deps, key, length, input.EncryptionContext ?? {});
    return {
      CiphertextBlob: dataKey.ciphertext,
      Plaintext: dataKey.plaintext.expose(),
      KeyId: key.arn,
      KeyMaterialId: dataKey.materialId,
    };
  },
});
