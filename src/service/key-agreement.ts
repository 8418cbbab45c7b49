import { deriveSharedSecret as ecdh, InvalidPublicKeyError } from '../crypto/asymmetric/index.js';
import { ValidationException } from '../errors.js';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import type { KmsKey } from '../keys/key.js';
import type { KeyAgreementAlgorithm } from '../keys/key-spec.js';
import { assertAlgorithmOffered, toAwsError } from './algorithm-compatibility.js';
import { loadPrivateKeyHandle } from './key-materials.js';
import type { ServiceDependencies } from './services.js';

/**
 * DeriveSharedSecret: ECDH between the KEY_AGREEMENT key's private key and a peer's public key, given as a
 * DER SubjectPublicKeyInfo on the key's curve. The result is the raw shared X coordinate (as many bytes as
 * the field), exactly what the peer computes with its private key and GetPublicKey's output.
 *
 * @throws InvalidKeyUsageException for an algorithm the key's spec does not offer (only ECDH exists).
 * @throws ValidationException for a peer key that is malformed, not DER, or on another curve.
 * @example const secret = await deriveSharedSecret(deps, key, 'ECDH', peerSpki); // caller wipes it
 */
export async function deriveSharedSecret(
  deps: ServiceDependencies,
  key: KmsKey,
  algorithm: KeyAgreementAlgorithm,
  peerPublicKey: Buffer,
): Promise<SecretBytes> {
  assertAlgorithmOffered(key, 'keyAgreementAlgorithms', algorithm);
  const handle = await loadPrivateKeyHandle(deps, key);
  try {
    return ecdh(handle, peerPublicKey);
  } catch (error) {
    // AWS refuses a peer key it cannot use without saying why (recorded: ValidationException, no message).
    if (error instanceof InvalidPublicKeyError) throw new ValidationException('');
    throw toAwsError(error);
  }
}
