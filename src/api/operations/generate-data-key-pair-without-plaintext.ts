import { keyOperation } from '../operation.js';
import { generateDataKeyPair } from '../../service/data-key-pairs.js';

/** GenerateDataKeyPair for a caller who needs only the public key now and decrypts the private key later. */
export const GenerateDataKeyPairWithoutPlaintext = keyOperation({
  name: 'GenerateDataKeyPairWithoutPlaintext',
  action: 'kms:GenerateDataKeyPairWithoutPlaintext',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['ENCRYPT_DECRYPT'] },
  async handle({ input, key, deps }) {
    const pair = await generateDataKeyPair(deps, key.key, input.KeyPairSpec, input.EncryptionContext ?? {});
    // The plaintext private key is never returned: its life ends as soon as it is encrypted.
    pair.privateKey.wipe();
    return {
      PrivateKeyCiphertextBlob: pair.privateKeyCiphertext,
      PublicKey: pair.publicKey,
      KeyId: key.key.arn,
      KeyPairSpec: input.KeyPairSpec,
      KeyMaterialId: pair.materialId,
    };
  },
});
