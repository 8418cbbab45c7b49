import { keyOperation } from '../operation.js';
import { encryptWithKey } from '../../service/symmetric-encryption.js';
import { assertSymmetricAlgorithm } from '../wire/encryption-algorithm.js';

export const Encrypt = keyOperation({
  name: 'Encrypt',
  action: 'kms:Encrypt',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['ENCRYPT_DECRYPT'] },
  async handle({ input, key, deps }) {
    const algorithm = assertSymmetricAlgorithm(key.key, input.EncryptionAlgorithm);
    const { ciphertext } = await encryptWithKey(deps, key.key, input.Plaintext, input.EncryptionContext ?? {});
    return { CiphertextBlob: ciphertext, KeyId: key.key.arn, EncryptionAlgorithm: algorithm };
  },
});
