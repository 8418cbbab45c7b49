import { keyOperation, type KeyRequest } from '../operation.js';
import { assertDecryptingKey, decryptUnderKey, type DecryptionRequest } from '../../service/encryption.js';
import { keyArnNamedBy, readCiphertext, type ReadCiphertext } from '../../service/symmetric-encryption.js';
import { refuseRecipient } from '../wire/recipient.js';
import { requireCiphertext } from '../wire/required-ciphertext.js';
import { stated } from '../wire/request-terms.js';

/**
 * Decrypts a symmetric ciphertext blob (which names its key; a KeyId, when given, must name the same key)
 * or a raw RSA-OAEP ciphertext (the KeyId and the RSAES algorithm are then required, as in AWS).
 */
export const Decrypt = keyOperation({
  name: 'Decrypt',
  action: 'kms:Decrypt',
  readOnly: true,
  terms: (input) => stated({
    encryptionContext: input.EncryptionContext,
    encryptionAlgorithm: input.EncryptionAlgorithm,
    grantTokens: input.GrantTokens,
  }),
  // A `Recipient` is refused before the key is looked up: ignoring it would return in plaintext what the caller
  // asked to have encrypted for its enclave. The ciphertext is read here, once, for the key reference and the
  // handlers; a blob that is missing or not ours is refused only where it is needed.
  validate(input) {
    refuseRecipient(input.Recipient);
    return input.CiphertextBlob === undefined ? undefined : readCiphertext(input.CiphertextBlob);
  },
  key: {
    reference: (input, ciphertext, scope) => input.KeyId ?? keyArnNamedBy(requireCiphertext(ciphertext), scope.region),
    acceptsAlias: true,
    states: 'use',
    // The key usage is checked by decryptUnderKey, after the ciphertext (see there).
  },
  // As in AWS, a dry run checks the ciphertext too unless DryRunModifiers says IGNORE_CIPHERTEXT.
  async dryRun(request, deps) {
    if (request.input.DryRunModifiers?.includes('IGNORE_CIPHERTEXT') === true) {
      assertDecryptingKey(request.key, undefined, 'Decrypt');
      return;
    }
    const { plaintext } = await decryptUnderKey(deps, decryption(request));
    plaintext.wipe();
  },
  async handle(request, deps) {
    const { plaintext, algorithm, materialId } = await decryptUnderKey(deps, decryption(request));
    return {
      KeyId: request.key.arn,
      Plaintext: plaintext.expose(),
      EncryptionAlgorithm: algorithm,
      ...(materialId !== undefined ? { KeyMaterialId: materialId } : {}),
    };
  },
});

/** The request's decryption in domain terms. */
function decryption({
  input,
  validated: ciphertext,
  key,
}: KeyRequest<'Decrypt', ReadCiphertext | undefined>): DecryptionRequest {
  return {
    key,
    algorithm: input.EncryptionAlgorithm,
    ciphertext: requireCiphertext(ciphertext),
    encryptionContext: input.EncryptionContext,
    operation: 'Decrypt',
  };
}
