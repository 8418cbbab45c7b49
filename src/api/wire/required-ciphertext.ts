import { ValidationException } from '../../errors.js';

/**
 * `CiphertextBlob` is optional in the model only because a DryRun with `IGNORE_CIPHERTEXT` may omit it;
 * every other request must carry it, and AWS reports its absence as a validation error. Takes the blob as
 * received or as read (`readCiphertext`), so a request's ciphertext is read once and required where needed.
 */
export function requireCiphertext<Ciphertext>(blob: Ciphertext | undefined, member = 'ciphertextBlob'): Ciphertext {
  if (blob === undefined) {
    throw new ValidationException(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return blob;
}
