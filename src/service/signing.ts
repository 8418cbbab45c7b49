import { signAsync, verify, type MessageType } from '../crypto/asymmetric/index.js';
import { KMSInvalidSignatureException } from '../errors.js';
import type { KmsKey } from '../keys/key.js';
import type { SigningAlgorithm } from '../keys/key-spec.js';
import { assertAlgorithmOffered, toAwsError } from './algorithm-compatibility.js';
import { loadPrivateKeyHandle, loadPublicKeyHandle } from './key-materials.js';
import type { ServiceDependencies } from './services.js';

/**
 * Sign and Verify with a SIGN_VERIFY key (the pipeline has checked usage and state). The message is a RAW
 * message (at most 4096 bytes, checked by request validation), a DIGEST of exactly the algorithm's hash
 * length, or an ML-DSA EXTERNAL_MU of 64 bytes; AWS's messages for each refusal come from the primitives.
 * ECDSA signatures are DER; RSASSA-PSS uses a salt as long as the digest.
 */

/**
 * Signs with the key's current private key; the signing itself runs off the event loop where OpenSSL can.
 * @throws InvalidKeyUsageException for an algorithm the key's spec does not offer.
 * @throws ValidationException for a message type the algorithm refuses or a digest of the wrong length.
 * @example const signature = await signMessage(deps, key, 'ECDSA_SHA_256', message, 'RAW');
 */
export async function signMessage(
  deps: ServiceDependencies,
  key: KmsKey,
  algorithm: SigningAlgorithm,
  message: Buffer,
  messageType: MessageType,
): Promise<Buffer> {
  assertAlgorithmOffered(key, 'signingAlgorithms', algorithm);
  const handle = await loadPrivateKeyHandle(deps, key);
  try {
    return await signAsync(handle, algorithm, message, messageType);
  } catch (error) {
    throw toAwsError(error);
  }
}

/**
 * Verifies with the key's public key. A signature that does not verify is AWS's
 * `KMSInvalidSignatureException` (Verify never answers `SignatureValid: false`).
 * @throws the same input errors as `signMessage`.
 */
export async function verifySignature(
  deps: ServiceDependencies,
  key: KmsKey,
  algorithm: SigningAlgorithm,
  message: Buffer,
  messageType: MessageType,
  signature: Buffer,
): Promise<void> {
  assertAlgorithmOffered(key, 'signingAlgorithms', algorithm);
  const publicKey = await loadPublicKeyHandle(deps, key);
  let valid: boolean;
  try {
    valid = verify(publicKey, algorithm, message, messageType, signature);
  } catch (error) {
    throw toAwsError(error);
  }
  if (!valid) throw new KMSInvalidSignatureException('');
}
