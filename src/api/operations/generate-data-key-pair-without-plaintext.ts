import { keyOperation } from '../operation.js';
import { generateDataKeyPair } from '../../service/data-key-pairs.js';
import { stated } from '../wire/request-terms.js';

/** GenerateDataKeyPair for a caller who needs only the public key now and decrypts the private key later. */
export const GenerateDataKeyPairWithoutPlaintext = keyOperation({
  name: 'GenerateDataKeyPairWithoutPlaintext',
  action: 'kms:GenerateDataKeyPairWithoutPlaintext',
  readOnly: true,
  terms: (input) => stated({
    encryptionContext: input.EncryptionContext,
    dataKeyPairSpec: input.KeyPairSpec,
    grantTokens: input.GrantTokens,
  }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['ENCRYPT_DECRYPT'] },
  async handle({ input, key }, deps) {
    const pair = await generateDataKeyPair(deps, key, input.KeyPairSpec, input.EncryptionContext ?? {});
    // The plaintext private key is never returned: its life ends as soon as it is encrypted.
    pair.privateKey.wipe();
    return {
      PrivateKeyCiphertextBlob: pair.privateKeyCiphertext,
      PublicKey: pair.publicKey,
      KeyId: key.arn,
      KeyPairSpec: input.KeyPairSpec,
      KeyMaterialId: pair.materialId,
    };
  },
});
