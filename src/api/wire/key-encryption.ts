import {
  IncorrectKeyException,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  ValidationException,
} from '../../errors.js';
import { maxRsaOaepPlaintext } from '../../crypto/asymmetric/index.js';
import type { SecretBytes } from '../../crypto/secret-bytes.js';
import type { KmsKey } from '../../keys/key.js';
import { assertAlgorithmOffered } from '../../service/algorithm-compatibility.js';
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
  assertAlgorithmOffered(key, 'encryptionAlgorithms', algorithm);
  assertFitsRsaOaep(key, algorithm, plaintext);
  const ciphertext = await encryptWithPublicKey(deps, key, algorithm, plaintext);
  refuseEncryptionContext(encryptionContext);
  return { ciphertext, algorithm };
}

/**
 * Decrypts a ciphertext made under `key`. For a symmetric key the blob must name that key
 * (`IncorrectKeyException` otherwise); for an RSA key, a request left at the default SYMMETRIC_DEFAULT is
 * answered as AWS answers it: the ciphertext is read as a symmetric blob and found invalid.
 *
 * A key that cannot decrypt at all is refused here rather than by the pipeline's usage check, because AWS
 * looks at the ciphertext first: a symmetric blob of another key, sent with an HMAC key's id, is
 * `IncorrectKeyException` (recorded against AWS), whatever the named key's usage.
 */
export async function decryptUnderKey(
  deps: ServiceDependencies,
  key: KmsKey,
  requested: EncryptionAlgorithmSpec | undefined,
  ciphertext: Buffer,
  encryptionContext: EncryptionContext | undefined,
  operation: 'Decrypt' | 'ReEncrypt',
): Promise<KeyDecryptionResult> {
  assertDecryptingKey(key, ciphertext, operation);
  if (key.spec === 'SYMMETRIC_DEFAULT') {
    const algorithm = assertSymmetricAlgorithm(key, requested);
    const blob = readCiphertextHeader(ciphertext);
    if (blob.keyArn !== key.arn) throw incorrectKey();
    const { plaintext, materialId } = await decryptWithKey(deps, key, blob, encryptionContext ?? {});
    return { plaintext, algorithm, materialId };
  }
  if (requested === undefined || requested === 'SYMMETRIC_DEFAULT') throw new InvalidCiphertextException('');
  refuseEncryptionContext(encryptionContext);
  return { plaintext: await decryptWithPrivateKey(deps, key, requested, ciphertext), algorithm: requested };
}

/**
 * RSA-OAEP encrypts at most k − 2·hLen − 2 bytes; AWS refuses longer plaintext naming the algorithm, the
 * spec and the limit: `Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot encrypt data larger than 214
 * bytes.`
 */
function assertFitsRsaOaep(key: KmsKey, algorithm: EncryptionAlgorithmSpec, plaintext: Buffer): void {
  if (!algorithm.startsWith('RSAES_OAEP_')) return;
  const limit = maxRsaOaepPlaintext(key.spec, algorithm);
  if (plaintext.length > limit) {
    throw new ValidationException(
      `Algorithm ${algorithm} and key spec ${key.spec} cannot encrypt data larger than ${limit} bytes.`,
    );
  }
}

/**
 * Refuses a key that cannot decrypt: `IncorrectKeyException` when the ciphertext is a symmetric blob of another
 * key, `InvalidKeyUsageException` otherwise (also for a dry run that ignores the ciphertext: `undefined`).
 */
export function assertDecryptingKey(key: KmsKey, ciphertext: Buffer | undefined, operation: 'Decrypt' | 'ReEncrypt'): void {
  if (key.usage === 'ENCRYPT_DECRYPT') return;
  if (ciphertext !== undefined && namesAnotherKey(ciphertext, key)) throw incorrectKey();
  throw new InvalidKeyUsageException(`${key.arn} key usage is ${key.usage} which is not valid for ${operation}.`);
}

/** Refuses a key that cannot encrypt, in the words of the pipeline's usage check. */
export function assertEncryptingKey(key: KmsKey, operation: 'ReEncrypt'): void {
  if (key.usage !== 'ENCRYPT_DECRYPT') {
    throw new InvalidKeyUsageException(`${key.arn} key usage is ${key.usage} which is not valid for ${operation}.`);
  }
}

function namesAnotherKey(ciphertext: Buffer, key: KmsKey): boolean {
  try {
    return readCiphertextHeader(ciphertext).keyArn !== key.arn;
  } catch {
    return false;
  }
}

function incorrectKey(): IncorrectKeyException {
  return new IncorrectKeyException('The key ID in the request does not identify a CMK that can perform this operation.');
}
