import { IncorrectKeyException } from '../../errors.js';
import { keyOperation } from '../operation.js';
import { decryptWithKey, readCiphertextHeader } from '../../service/symmetric-encryption.js';
import { assertSymmetricAlgorithm } from '../wire/encryption-algorithm.js';
import { requireCiphertext } from '../wire/required-ciphertext.js';

export const Decrypt = keyOperation({
  name: 'Decrypt',
  action: 'kms:Decrypt',
  readOnly: true,
  // The ciphertext names its key; a KeyId, when given, must name the same key.
  key: {
    reference: (input) => input.KeyId ?? readCiphertextHeader(requireCiphertext(input.CiphertextBlob)).keyArn,
    acceptsAlias: true,
    states: 'use',
    usages: ['ENCRYPT_DECRYPT'],
  },
  async handle({ input, key, deps }) {
    const algorithm = assertSymmetricAlgorithm(key.key, input.EncryptionAlgorithm);
    const blob = readCiphertextHeader(requireCiphertext(input.CiphertextBlob));
    if (blob.keyArn !== key.key.arn) {
      throw new IncorrectKeyException(
        'The key ID in the request does not identify a CMK that can perform this operation.',
      );
    }
    const { plaintext, materialId } = await decryptWithKey(deps, key.key, blob, input.EncryptionContext ?? {});
    return {
      KeyId: key.key.arn,
      Plaintext: plaintext.expose(),
      EncryptionAlgorithm: algorithm,
      KeyMaterialId: materialId,
    };
  },
});
