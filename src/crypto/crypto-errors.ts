/**
 * Errors of the crypto layer. The crypto layer is the lowest layer and knows nothing of the wire: the service
 * maps these to AWS exceptions (`InvalidCiphertextError` → `InvalidCiphertextException`, anything else → an
 * internal error). Messages name the problem, never a byte of plaintext, key material or ciphertext.
 */

/** Base class, so the service can tell "the crypto layer refused" from an unexpected bug. */
export class CryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * An AEAD open failed: wrong key, wrong associated data, tampered ciphertext or tag. The message is always the
 * same so that no caller, log or response can learn which of these it was.
 */
export class DecryptionFailedError extends CryptoError {
  constructor() {
    super('decryption failed');
  }
}

/**
 * A ciphertext blob is malformed or does not authenticate. The service answers `InvalidCiphertextException`
 * for both, so a caller cannot tell a structural problem from an authentication failure by the error type;
 * the message (for the server's log only) names the structural problem.
 */
export class InvalidCiphertextError extends CryptoError {}

/**
 * A caller handed the crypto layer something it must never receive: a key of the wrong size, an IV of the
 * wrong size for sealing, an ill-formed encryption context, a malformed key ARN or material id. These are
 * programming errors or unvalidated input, never a property of attacker-supplied ciphertext.
 */
export class CryptoInputError extends CryptoError {}

/**
 * Wrapped key material could not be unwrapped: the record is corrupt, was presented with another key ARN or
 * material id, or was wrapped by another root key.
 */
export class UnwrapFailedError extends CryptoError {}

/**
 * The root key file is unusable (missing permissions, wrong size, group/world-readable). The message names the
 * path and the problem, never the content.
 */
export class RootKeyFileError extends CryptoError {
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`root key file ${path}: ${problem}`);
    this.path = path;
  }
}
