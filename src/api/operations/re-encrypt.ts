import { ValidationException } from '../../errors.js';
import { keyOperation } from '../operation.js';
import { readCiphertextHeader } from '../../service/symmetric-encryption.js';
import type { KmsKey } from '../../keys/key.js';
import { assertDecryptingKey, assertEncryptingKey, decryptUnderKey, encryptUnderKey } from '../wire/key-encryption.js';

/**
 * Decrypts a ciphertext and encrypts its plaintext under another key (or the same key's current material)
 * without the plaintext leaving the server. Either side may be symmetric or RSA: a symmetric source is named
 * by the ciphertext (a `SourceKeyId`, when given, must name that same key); an RSA source needs
 * `SourceKeyId` and `SourceEncryptionAlgorithm`; an RSA destination needs `DestinationEncryptionAlgorithm`.
 * Authorization is `kms:ReEncryptFrom` on the source and `kms:ReEncryptTo` on the destination.
 */
export const ReEncrypt = keyOperation({
  name: 'ReEncrypt',
  action: 'kms:ReEncrypt',
  readOnly: true,
  key: {
    reference: (input) => input.SourceKeyId ?? readCiphertextHeader(requiredBlob(input.CiphertextBlob)).keyArn,
    acceptsAlias: true,
    states: 'use',
    // The source key's usage is checked by decryptUnderKey, after the ciphertext (see there).
    action: 'kms:ReEncryptFrom',
  },
  destinationKey: {
    reference: (input) => input.DestinationKeyId,
    acceptsAlias: true,
    states: 'use',
    // Checked by the handler after the source ciphertext, as AWS orders it (see assertKeysCanReEncrypt).
    action: 'kms:ReEncryptTo',
  },
  // As in AWS, a dry run checks the source ciphertext too unless DryRunModifiers says IGNORE_CIPHERTEXT.
  async dryRun({ input, key: source, destinationKey, deps }) {
    const ignoreCiphertext = input.DryRunModifiers?.includes('IGNORE_CIPHERTEXT') === true;
    assertKeysCanReEncrypt(source.key, destinationKey?.key, ignoreCiphertext ? undefined : input.CiphertextBlob);
    if (ignoreCiphertext) return;
    const { plaintext } = await decryptUnderKey(
      deps,
      source.key,
      input.SourceEncryptionAlgorithm,
      requiredBlob(input.CiphertextBlob),
      input.SourceEncryptionContext,
      'ReEncrypt',
    );
    plaintext.wipe();
  },
  async handle({ input, key: source, destinationKey, deps }) {
    // The pipeline always resolves a declared destination key; this only narrows the type.
    if (!destinationKey) throw new Error('ReEncrypt ran without its destination key');
    assertKeysCanReEncrypt(source.key, destinationKey.key, input.CiphertextBlob);
    const decrypted = await decryptUnderKey(
      deps,
      source.key,
      input.SourceEncryptionAlgorithm,
      requiredBlob(input.CiphertextBlob),
      input.SourceEncryptionContext,
      'ReEncrypt',
    );
    try {
      const encrypted = await encryptUnderKey(
        deps,
        destinationKey.key,
        input.DestinationEncryptionAlgorithm,
        decrypted.plaintext.expose(),
        input.DestinationEncryptionContext,
      );
      return {
        CiphertextBlob: encrypted.ciphertext,
        SourceKeyId: source.key.arn,
        KeyId: destinationKey.key.arn,
        SourceEncryptionAlgorithm: decrypted.algorithm,
        DestinationEncryptionAlgorithm: encrypted.algorithm,
        ...(decrypted.materialId !== undefined ? { SourceKeyMaterialId: decrypted.materialId } : {}),
        ...(encrypted.materialId !== undefined ? { DestinationKeyMaterialId: encrypted.materialId } : {}),
      };
    } finally {
      // The plaintext never leaves ReEncrypt: its life ends here.
      decrypted.plaintext.wipe();
    }
  },
});

/**
 * What the keys can do, in AWS's order: the ciphertext's key first (a symmetric blob of another key is
 * `IncorrectKeyException` even when both named keys are HMAC keys, recorded against AWS), then the source's
 * usage, then the destination's.
 */
function assertKeysCanReEncrypt(source: KmsKey, destination: KmsKey | undefined, ciphertext: Buffer | undefined): void {
  assertDecryptingKey(source, ciphertext, 'ReEncrypt');
  if (destination) assertEncryptingKey(destination, 'ReEncrypt');
}

/** The model leaves `CiphertextBlob` optional; the live service requires it, with its validation wording. */
function requiredBlob(blob: Buffer | undefined): Buffer {
  if (blob === undefined) {
    throw new ValidationException(
      "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
    );
  }
  return blob;
}
