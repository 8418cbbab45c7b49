import { keyOperation } from '../operation.js';
import { readCiphertextHeader } from '../../service/symmetric-encryption.js';
import { decryptUnderKey } from '../wire/key-encryption.js';
import { requireCiphertext } from '../wire/required-ciphertext.js';

/**
 * Decrypts a symmetric ciphertext blob (which names its key; a KeyId, when given, must name the same key)
 * or a raw RSA-OAEP ciphertext (the KeyId and the RSAES algorithm are then required, as in AWS).
 */
export const Decrypt = keyOperation({
  name: 'Decrypt',
  action: 'kms:Decrypt',
  readOnly: true,
  key: {
    reference: (input) => input.KeyId ?? readCiphertextHeader(requireCiphertext(input.CiphertextBlob)).keyArn,
    acceptsAlias: true,
    states: 'use',
    usages: ['ENCRYPT_DECRYPT'],
  },
  async handle({ input, key, deps }) {
    const { plaintext, algorithm, materialId } = await decryptUnderKey(
      deps,
      key.key,
      input.EncryptionAlgorithm,
      requireCiphertext(input.CiphertextBlob),
      input.EncryptionContext,
    );
    return {
      KeyId: key.key.arn,
      Plaintext: plaintext.expose(),
      EncryptionAlgorithm: algorithm,
      ...(materialId !== undefined ? { KeyMaterialId: materialId } : {}),
    };
  },
});
