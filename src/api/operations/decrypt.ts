import { keyOperation } from '../operation.js';
import { readCiphertextHeader } from '../../service/symmetric-encryption.js';
import { assertDecryptingKey, decryptUnderKey } from '../wire/key-encryption.js';
import { refuseRecipient } from '../wire/recipient.js';
import { requireCiphertext } from '../wire/required-ciphertext.js';

/**
 * Decrypts a symmetric ciphertext blob (which names its key; a KeyId, when given, must name the same key)
 * or a raw RSA-OAEP ciphertext (the KeyId and the RSAES algorithm are then required, as in AWS).
 * A `Recipient` is refused before the key is looked up: ignoring it would return in plaintext what the caller
 * asked to have encrypted for its enclave.
 */
export const Decrypt = keyOperation({
  name: 'Decrypt',
  action: 'kms:Decrypt',
  readOnly: true,
  key: {
    reference: (input) => {
      refuseRecipient(input.Recipient);
      return input.KeyId ?? readCiphertextHeader(requireCiphertext(input.CiphertextBlob)).keyArn;
    },
    acceptsAlias: true,
    states: 'use',
    // The key usage is checked by decryptUnderKey, after the ciphertext (see there).
  },
  // As in AWS, a dry run checks the ciphertext too unless DryRunModifiers says IGNORE_CIPHERTEXT.
  async dryRun({ input, key, deps }) {
    if (input.DryRunModifiers?.includes('IGNORE_CIPHERTEXT') === true) {
      assertDecryptingKey(key.key, undefined, 'Decrypt');
      return;
    }
    const { plaintext } = await decryptUnderKey(
      deps,
      key.key,
      input.EncryptionAlgorithm,
      requireCiphertext(input.CiphertextBlob),
      input.EncryptionContext,
      'Decrypt',
    );
    plaintext.wipe();
  },
  async handle({ input, key, deps }) {
    const { plaintext, algorithm, materialId } = await decryptUnderKey(
      deps,
      key.key,
      input.EncryptionAlgorithm,
      requireCiphertext(input.CiphertextBlob),
      input.EncryptionContext,
      'Decrypt',
    );
    return {
      KeyId: key.key.arn,
      Plaintext: plaintext.expose(),
      EncryptionAlgorithm: algorithm,
      ...(materialId !== undefined ? { KeyMaterialId: materialId } : {}),
    };
  },
});
