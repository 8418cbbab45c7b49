import { keyOperation, type KeyRequest } from '../operation.js';
import {
  assertDecryptingKey,
  assertEncryptingKey,
  decryptUnderKey,
  encryptUnderKey,
  type DecryptionRequest,
} from '../../service/encryption.js';
import { keyArnNamedBy, readCiphertext, type ReadCiphertext } from '../../service/symmetric-encryption.js';
import type { KmsKey } from '../../keys/key.js';
import { stated } from '../wire/request-terms.js';
import { requireCiphertext } from '../wire/required-ciphertext.js';

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
  // The ciphertext is read here, once, for the source key reference and the handlers.
  validate: (input) => (input.CiphertextBlob === undefined ? undefined : readCiphertext(input.CiphertextBlob)),
  key: {
    reference: (input, ciphertext, scope) => input.SourceKeyId ?? keyArnNamedBy(requireCiphertext(ciphertext), scope.region),
    acceptsAlias: true,
    states: 'use',
    // The source key's usage is checked by decryptUnderKey, after the ciphertext (see there).
    action: 'kms:ReEncryptFrom',
    terms: (input) => stated({
      encryptionContext: input.SourceEncryptionContext,
      encryptionAlgorithm: input.SourceEncryptionAlgorithm,
      grantTokens: input.GrantTokens,
    }),
  },
  destinationKey: {
    reference: (input) => input.DestinationKeyId,
    acceptsAlias: true,
    states: 'use',
    // Checked by the handler after the source ciphertext, as AWS orders it (see assertKeysCanReEncrypt).
    action: 'kms:ReEncryptTo',
    terms: (input) => stated({
      encryptionContext: input.DestinationEncryptionContext,
      encryptionAlgorithm: input.DestinationEncryptionAlgorithm,
      grantTokens: input.GrantTokens,
    }),
  },
  // As in AWS, a dry run checks the source ciphertext too unless DryRunModifiers says IGNORE_CIPHERTEXT.
  async dryRun(request, deps) {
    const { input, validated: ciphertext, key: source, destinationKey } = request;
    const ignoreCiphertext = input.DryRunModifiers?.includes('IGNORE_CIPHERTEXT') === true;
    assertKeysCanReEncrypt(source, destinationKey, ignoreCiphertext ? undefined : ciphertext);
    if (ignoreCiphertext) return;
    const { plaintext } = await decryptUnderKey(deps, sourceDecryption(request));
    plaintext.wipe();
  },
  async handle(request, deps) {
    const { input, validated: ciphertext, key: source, destinationKey } = request;
    // The pipeline always resolves a declared destination key; this only narrows the type.
    if (!destinationKey) throw new Error('ReEncrypt ran without its destination key');
    assertKeysCanReEncrypt(source, destinationKey, ciphertext);
    const decrypted = await decryptUnderKey(deps, sourceDecryption(request));
    try {
      const encrypted = await encryptUnderKey(deps, {
        key: destinationKey,
        algorithm: input.DestinationEncryptionAlgorithm,
        plaintext: decrypted.plaintext.expose(),
        encryptionContext: input.DestinationEncryptionContext,
      });
      return {
        CiphertextBlob: encrypted.ciphertext,
        SourceKeyId: source.arn,
        KeyId: destinationKey.arn,
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
function assertKeysCanReEncrypt(
  source: KmsKey,
  destination: KmsKey | undefined,
  ciphertext: ReadCiphertext | undefined,
): void {
  assertDecryptingKey(source, ciphertext, 'ReEncrypt');
  if (destination) assertEncryptingKey(destination, 'ReEncrypt');
}

/** The request's source side in domain terms. */
function sourceDecryption({
  input,
  validated: ciphertext,
  key,
}: KeyRequest<'ReEncrypt', ReadCiphertext | undefined>): DecryptionRequest {
  return {
    key,
    algorithm: input.SourceEncryptionAlgorithm,
    ciphertext: requireCiphertext(ciphertext),
    encryptionContext: input.SourceEncryptionContext,
    operation: 'ReEncrypt',
  };
}
