import { keyOperation } from '../operation.js';
import { generateDataKeyPair } from '../../service/data-key-pairs.js';
import { refuseRecipient } from '../wire/recipient.js';
import { stated } from '../wire/request-terms.js';

/**
 * A fresh asymmetric data key pair for use outside KMS: the public key (DER SPKI), the private key in
 * plaintext (PKCS#8 DER) and the private key encrypted under a symmetric encryption key with the
 * encryption context (a ciphertext blob that Decrypt opens).
 */
export const GenerateDataKeyPair = keyOperation({
  name: 'GenerateDataKeyPair',
  action: 'kms:GenerateDataKeyPair',
  readOnly: true,
  terms: (input) => stated({
    encryptionContext: input.EncryptionContext,
    dataKeyPairSpec: input.KeyPairSpec,
    grantTokens: input.GrantTokens,
  }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['ENCRYPT_DECRYPT'] },
  async handle({ input, key }, deps) {
    refuseRecipient(input.Recipient);
    const pair = await generateDataKeyPair(deps, key, input.KeyPairSpec, input.EncryptionContext ?? {});
    return {
      PrivateKeyCiphertextBlob: pair.privateKeyCiphertext,
      PrivateKeyPlaintext: pair.privateKey.expose(),
      PublicKey: pair.publicKey,
      KeyId: key.arn,
      KeyPairSpec: input.KeyPairSpec,
      KeyMaterialId: pair.materialId,
    };
  },
});
