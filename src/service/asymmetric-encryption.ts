import { DecryptionFailedError, rsaOaepDecrypt, rsaOaepEncrypt } from '../crypto/asymmetric/index.js';
import { SecretBytes } from '../crypto/secret-bytes.js';
import { InvalidCiphertextException, ValidationException } from '../errors.js';
import type { KmsKey } from '../keys/key.js';
import { KEY_SPECS, type EncryptionAlgorithm } from '../keys/key-spec.js';
import { assertAlgorithmOffered, toAwsError } from './algorithm-compatibility.js';
import { loadPrivateKeyHandle, loadPublicKeyHandle } from './key-materials.js';
import type { ServiceDependencies } from './services.js';
import type { EncryptionContext } from './symmetric-encryption.js';

/**
 * Encrypt/Decrypt with an RSA ENCRYPT_DECRYPT key: RSAES-OAEP (SHA-1 or SHA-256, MGF1 with the same hash,
 * empty label). The ciphertext is the raw RSA-OAEP output, as AWS returns it, so a ciphertext made offline
 * with the public key from GetPublicKey decrypts here, and ours decrypt with any standard library. AWS's
 * plaintext limits are RSA-OAEP's own, listed per spec and algorithm in the key-spec table.
 */

/**
 * AWS's rule: an encryption context is for symmetric keys only; RSA-OAEP has nothing to bind it to, so a
 * context given with an asymmetric key would silently protect nothing. Refused rather than ignored.
 */
export function refuseEncryptionContext(encryptionContext: EncryptionContext | undefined): void {
  if (encryptionContext !== undefined && Object.keys(encryptionContext).length > 0) {
    throw new ValidationException('EncryptionContext is not supported with asymmetric KMS keys.');
  }
}

/**
 * Encrypts `plaintext` with the key's public key.
 * @throws InvalidKeyUsageException when the key's spec does not offer `algorithm` (SYMMETRIC_DEFAULT included).
 * @throws ValidationException when the plaintext exceeds the algorithm's limit for the key size.
 * @example const ciphertext = await encryptWithPublicKey(deps, key, 'RSAES_OAEP_SHA_256', plaintext);
 */
export async function encryptWithPublicKey(
  deps: ServiceDependencies,
  key: KmsKey,
  algorithm: EncryptionAlgorithm,
  plaintext: Buffer,
): Promise<Buffer> {
  assertAlgorithmOffered(key, 'encryptionAlgorithms', algorithm);
  assertPlaintextFits(key, algorithm, plaintext);
  const publicKey = await loadPublicKeyHandle(deps, key);
  try {
    // A copy, so the caller's buffer (the request's plaintext) stays the caller's to wipe.
    return rsaOaepEncrypt(publicKey, algorithm, SecretBytes.copyOf(plaintext));
  } catch (error) {
    throw toAwsError(error);
  }
}

/**
 * RSA-OAEP encrypts at most k − 2·hLen − 2 bytes; AWS refuses longer plaintext naming the algorithm, the
 * spec and the limit: `Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot encrypt data larger than 214
 * bytes.`
 */
function assertPlaintextFits(key: KmsKey, algorithm: EncryptionAlgorithm, plaintext: Buffer): void {
  const limit = KEY_SPECS[key.spec].maxPlaintextBytes[algorithm];
  if (limit !== undefined && plaintext.length > limit) {
    throw new ValidationException(
      `Algorithm ${algorithm} and key spec ${key.spec} cannot encrypt data larger than ${limit} bytes.`,
    );
  }
}

/**
 * Decrypts a raw RSA-OAEP ciphertext with the key's private key. Any failure — wrong length, padding, key
 * or algorithm — is `InvalidCiphertextException` with no detail, as AWS answers (no padding oracle).
 * @throws InvalidKeyUsageException when the key's spec does not offer `algorithm`.
 */
export async function decryptWithPrivateKey(
  deps: ServiceDependencies,
  key: KmsKey,
  algorithm: EncryptionAlgorithm,
  ciphertext: Buffer,
): Promise<SecretBytes> {
  assertAlgorithmOffered(key, 'encryptionAlgorithms', algorithm);
  const handle = await loadPrivateKeyHandle(deps, key);
  try {
    return rsaOaepDecrypt(handle, algorithm, ciphertext);
  } catch (error) {
    if (error instanceof DecryptionFailedError) throw new InvalidCiphertextException('');
    throw toAwsError(error);
  }
}
