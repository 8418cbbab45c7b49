/**
 * Errors of the asymmetric, HMAC and key-agreement primitives. They are crypto-level: the service maps
 * each to the AWS exception its operation documents (for example `InvalidSignatureInputError` to
 * `ValidationException`, `DecryptionFailedError` to `InvalidCiphertextException`).
 *
 * Messages name algorithms, specs and lengths only; never plaintext, key material or signatures.
 */
export class AsymmetricCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The key spec, algorithm or message type is not offered (by AWS for this spec, or by this runtime). */
export class UnsupportedAlgorithmError extends AsymmetricCryptoError {}

/** The message does not fit the algorithm: a digest of the wrong length, a message type it does not take. */
export class InvalidSignatureInputError extends AsymmetricCryptoError {}

/** A public key (a peer's for ECDH, or one given for verification) is malformed or of another key spec. */
export class InvalidPublicKeyError extends AsymmetricCryptoError {}

/** Stored private key material does not parse, or is not of the key spec it claims. */
export class InvalidKeyMaterialError extends AsymmetricCryptoError {}

/** The plaintext is longer than the algorithm and key size allow (RSA-OAEP). */
export class PlaintextTooLargeError extends AsymmetricCryptoError {}

/**
 * Decryption failed. Deliberately says nothing else: which check failed (length, padding, label) is the
 * kind of detail a padding-oracle attacker wants.
 */
export class DecryptionFailedError extends AsymmetricCryptoError {
  constructor() {
    super('decryption failed');
  }
}
