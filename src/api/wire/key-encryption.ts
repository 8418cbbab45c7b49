import { IncorrectKeyException, InvalidCiphertextException } from '../../errors.js';
import type { SecretBytes } from '../../crypto/secret-bytes.js';
import type { KmsKey } from '../../keys/key.js';
import {
  decryptWithPrivateKey,
  encryptWithPublicKey,
  refuseEncryptionContext,
} from '../../service/asymmetric-encryption.js';
import type { ServiceDependencies } from '../../service/services.js';
import {
  decryptWithKey,
  encryptWithKey,
  readCiphertextHeader,
  type EncryptionContext,
} from '../../service/symmetric-encryption.js';
import type { EncryptionAlgorithmSpec } from '../generated/kms-shapes.js';
import { assertSymmetricAlgorithm } from './encryption-algorithm.js';

/**
 * Encryption under whichever kind of ENCRYPT_DECRYPT key a request names, shared by Encrypt, Decrypt and
 * ReEncrypt (source and destination): a symmetric key seals a ciphertext blob bound to the encryption
 * context; an RSA key produces raw RSA-OAEP, takes no encryption context, and needs the algorithm named
 * (AWS defaults to SYMMETRIC_DEFAULT, which an RSA key refuses).
 */

export interface KeyEncryptionResult {
  readonly ciphertext: Buffer;
  readonly algorithm: EncryptionAlgorithmSpec;
  /** Present for symmetric keys only: the material version that encrypted (RSA keys have one version). */
  readonly materialId?: string;
}

export interface KeyDecryptionResult {
  readonly plaintext: SecretBytes;
  readonly algorithm: EncryptionAlgorithmSpec;
  readonly materialId?: string;
}

/** Encrypts `plaintext` under `key` with the requested (or default) algorithm. */
export async function encryptUnderKey(
  deps: ServiceDependencies,
  key: KmsKey,
  requested: EncryptionAlgorithmSpec | undefined,
  plaintext: Buffer,
  encryptionContext: EncryptionContext | undefined,
): Promise<KeyEncryptionResult> {
  if (key.spec === 'SYMMETRIC_DEFAULT') {
    const algorithm = assertSymmetricAlgorithm(key, requested);
    const { ciphertext, materialId } = await encryptWithKey(deps, key, plaintext, encryptionContext ?? {});
    return { ciphertext, algorithm, materialId };
  }
  const algorithm = requested ?? 'SYMMETRIC_DEFAULT';
  const ciphertext = await encryptWithPublicKey(deps, key, algorithm, plaintext);
  refuseEncryptionContext(encryptionContext);
  return { ciphertext, algorithm };
}

/**
 * Decrypts a ciphertext made under `key`. For a symmetric key the blob must name that key
 * (`IncorrectKeyException` otherwise); for an RSA key, a request left at the default SYMMETRIC_DEFAULT is
 * answered as AWS answers it: the ciphertext is read as a symmetric blob and found invalid.
 */
export async function decryptUnderKey(
  deps: ServiceDependencies,
  key: KmsKey,
  requested: EncryptionAlgorithmSpec | undefined,
  ciphertext: Buffer,
  encryptionContext: EncryptionContext | undefined,
): Promise<KeyDecryptionResult> {
  if (key.spec === 'SYMMETRIC_DEFAULT') {
    const algorithm = assertSymmetricAlgorithm(key, requested);
    const blob = readCiphertextHeader(ciphertext);
    if (blob.keyArn !== key.arn) {
      throw new IncorrectKeyException('The key ID in the request does not identify a CMK that can perform this operation.');
    }
    const { plaintext, materialId } = await decryptWithKey(deps, key, blob, encryptionContext ?? {});
    return { plaintext, algorithm, materialId };
  }
  if (requested === undefined || requested === 'SYMMETRIC_DEFAULT') throw new InvalidCiphertextException('');
  refuseEncryptionContext(encryptionContext);
  return { plaintext: await decryptWithPrivateKey(deps, key, requested, ciphertext), algorithm: requested };
}
