import { IncorrectKeyException, ValidationException } from '../../errors.js';
import { keyOperation } from '../operation.js';
import {
  decryptWithKey,
  encryptWithKey,
  readCiphertextHeader,
} from '../../service/symmetric-encryption.js';
import { assertSymmetricAlgorithm } from '../wire/encryption-algorithm.js';

/**
 * Decrypts a ciphertext and encrypts its plaintext under another key (or the same key's current material)
 * without the plaintext leaving the server. The source key is named by the ciphertext; a `SourceKeyId`, when
 * given, must name that same key. Authorization is `kms:ReEncryptFrom` on the source and `kms:ReEncryptTo`
 * on the destination.
 */
export const ReEncrypt = keyOperation({
  name: 'ReEncrypt',
  action: 'kms:ReEncrypt',
  readOnly: true,
  key: {
    reference: (input) => input.SourceKeyId ?? readCiphertextHeader(requiredBlob(input.CiphertextBlob)).keyArn,
    acceptsAlias: true,
    states: 'use',
    usages: ['ENCRYPT_DECRYPT'],
    action: 'kms:ReEncryptFrom',
  },
  destinationKey: {
    reference: (input) => input.DestinationKeyId,
    acceptsAlias: true,
    states: 'use',
    usages: ['ENCRYPT_DECRYPT'],
    action: 'kms:ReEncryptTo',
  },
  async handle({ input, key: source, destinationKey, deps }) {
    // The pipeline always resolves a declared destination key; this only narrows the type.
    if (!destinationKey) throw new Error('ReEncrypt ran without its destination key');
    const sourceAlgorithm = assertSymmetricAlgorithm(source.key, input.SourceEncryptionAlgorithm);
    const destinationAlgorithm = assertSymmetricAlgorithm(destinationKey.key, input.DestinationEncryptionAlgorithm);
    const blob = readCiphertextHeader(requiredBlob(input.CiphertextBlob));
    if (blob.keyArn !== source.key.arn) {
      throw new IncorrectKeyException(
        'The key ID in the request does not identify a CMK that can perform this operation.',
      );
    }
    const decrypted = await decryptWithKey(deps, source.key, blob, input.SourceEncryptionContext ?? {});
    try {
      const encrypted = await encryptWithKey(
        deps,
        destinationKey.key,
        decrypted.plaintext.expose(),
        input.DestinationEncryptionContext ?? {},
      );
      return {
        CiphertextBlob: encrypted.ciphertext,
        SourceKeyId: source.key.arn,
        KeyId: destinationKey.key.arn,
        SourceEncryptionAlgorithm: sourceAlgorithm,
        DestinationEncryptionAlgorithm: destinationAlgorithm,
        SourceKeyMaterialId: decrypted.materialId,
        DestinationKeyMaterialId: encrypted.materialId,
      };
    } finally {
      // The plaintext never leaves ReEncrypt: its life ends here.
      decrypted.plaintext.wipe();
    }
  },
});

/** The model leaves `CiphertextBlob` optional; the live service requires it, with its validation wording. */
function requiredBlob(blob: Buffer | undefined): Buffer {
  if (blob === undefined) {
    throw new ValidationException(
      "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
    );
  }
  return blob;
}
