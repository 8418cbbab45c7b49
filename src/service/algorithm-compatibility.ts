import { InvalidKeyUsageException, UnsupportedOperationException, ValidationException } from '../errors.js';
import {
  AsymmetricCryptoError,
  InvalidPublicKeyError,
  InvalidSignatureInputError,
  PlaintextTooLargeError,
  UnsupportedAlgorithmError,
} from '../crypto/asymmetric/index.js';
import type { KmsKey } from '../keys/key.js';
import { offersAlgorithm, type AlgorithmFamily, type KeySpecCapabilities } from '../keys/key-spec.js';

/**
 * Checks that the key's spec offers `algorithm` (the capability table of `keys/key-spec.ts`), with AWS's
 * answer otherwise: `InvalidKeyUsageException: Algorithm ECDSA_SHA_512 is incompatible with key spec
 * ECC_NIST_EDWARDS25519.` (also what AWS says to Encrypt with an RSA key and the default SYMMETRIC_DEFAULT).
 *
 * @example
 *   assertAlgorithmOffered(key, 'signingAlgorithms', 'ECDSA_SHA_256');
 */
export function assertAlgorithmOffered<F extends AlgorithmFamily>(
  key: KmsKey,
  family: F,
  algorithm: KeySpecCapabilities[F][number],
): void {
  if (!offersAlgorithm(key.spec, family, algorithm)) {
    throw new InvalidKeyUsageException(`Algorithm ${algorithm} is incompatible with key spec ${key.spec}.`);
  }
}

/**
 * Turns an error of the asymmetric primitives into the AWS exception a caller sees; anything else is
 * rethrown as is (and becomes a bare internal error at the edge). The primitives' messages name only
 * algorithms, specs and lengths — never plaintext, keys or signatures — so they may reach the caller.
 */
export function toAwsError(error: unknown): unknown {
  if (!(error instanceof AsymmetricCryptoError)) return error;
  if (error instanceof UnsupportedAlgorithmError) return new UnsupportedOperationException(`${error.message}.`);
  if (error instanceof InvalidSignatureInputError || error instanceof InvalidPublicKeyError) {
    return new ValidationException(error.message);
  }
  if (error instanceof PlaintextTooLargeError) return new ValidationException(`${error.message}.`);
  return error;
}
