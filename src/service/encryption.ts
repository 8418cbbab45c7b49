import type { SecretBytes } from '../crypto/secret-bytes.js';
import { IncorrectKeyException, InvalidCiphertextException, InvalidKeyUsageException } from '../errors.js';
import type { KmsKey } from '../keys/key.js';
import { DEFAULT_ENCRYPTION_ALGORITHM, isSymmetric, type EncryptionAlgorithm } from '../keys/key-spec.js';
import { decryptWithPrivateKey, encryptWithPublicKey, refuseEncryptionContext } from './asymmetric-encryption.js';
import type { ServiceDependencies } from './services.js';
import {
  madeByKeyOrRelated,
  decryptWithKey,
  encryptWithKey,
  symmetricAlgorithm,
  type EncryptionContext,
  type ReadCiphertext,
} from './symmetric-encryption.js';

/**
 * Encryption under whichever kind of ENCRYPT_DECRYPT key a request names, shared by Encrypt, Decrypt and
 * ReEncrypt (source and destination): a symmetric key seals a ciphertext blob bound to the encryption
 * context; an RSA key produces raw RSA-OAEP, takes no encryption context, and needs the algorithm named
 * (AWS defaults to SYMMETRIC_DEFAULT, which an RSA key refuses).
 */

/** The operations that decrypt, as they name themselves in `InvalidKeyUsageException`. */
export type DecryptingOperation = 'Decrypt' | 'ReEncrypt';

export interface EncryptionRequest {
  readonly key: KmsKey;
  /** The algorithm the request names; none means SYMMETRIC_DEFAULT. */
  readonly algorithm?: EncryptionAlgorithm | undefined;
  readonly plaintext: Buffer;
  readonly encryptionContext?: EncryptionContext | undefined;
}

export interface EncryptionResult {
  readonly ciphertext: Buffer;
  readonly algorithm: EncryptionAlgorithm;
  /** Present for symmetric keys only: the material version that encrypted (RSA keys have one version). */
  readonly materialId?: string;
}

export interface DecryptionRequest {
  readonly key: KmsKey;
  readonly algorithm?: EncryptionAlgorithm | undefined;
  /** Read once, before the key was looked up (a symmetric blob names its key). */
  readonly ciphertext: ReadCiphertext;
  readonly encryptionContext?: EncryptionContext | undefined;
  readonly operation: DecryptingOperation;
}

export interface DecryptionResult {
  /** Owned by the caller, who returns or wipes it. */
  readonly plaintext: SecretBytes;
  readonly algorithm: EncryptionAlgorithm;
  readonly materialId?: string;
}

/** Encrypts the plaintext under the key with the requested (or default) algorithm. */
export async function encryptUnderKey(deps: ServiceDependencies, request: EncryptionRequest): Promise<EncryptionResult> {
  const { key, plaintext, encryptionContext } = request;
  if (isSymmetric(key.spec)) {
    const algorithm = symmetricAlgorithm(key, request.algorithm);
    const { ciphertext, materialId } = await encryptWithKey(deps, key, plaintext, encryptionContext ?? {});
    return { ciphertext, algorithm, materialId };
  }
  const algorithm = request.algorithm ?? DEFAULT_ENCRYPTION_ALGORITHM;
  const ciphertext = await encryptWithPublicKey(deps, key, algorithm, plaintext);
  refuseEncryptionContext(encryptionContext);
  return { ciphertext, algorithm };
}

/**
 * Decrypts a ciphertext made under the key. For a symmetric key the blob must name that key
 * (`IncorrectKeyException` otherwise); for an RSA key, a request left at the default SYMMETRIC_DEFAULT is
 * answered as AWS answers it: the ciphertext is read as a symmetric blob and found invalid.
 *
 * A key that cannot decrypt at all is refused here rather than by the pipeline's usage check, because AWS
 * looks at the ciphertext first: a symmetric blob of another key, sent with an HMAC key's id, is
 * `IncorrectKeyException` (recorded against AWS), whatever the named key's usage.
 */
export async function decryptUnderKey(deps: ServiceDependencies, request: DecryptionRequest): Promise<DecryptionResult> {
  const { key, ciphertext, encryptionContext } = request;
  assertDecryptingKey(key, ciphertext, request.operation);
  if (isSymmetric(key.spec)) {
    const algorithm = symmetricAlgorithm(key, request.algorithm);
    if (!ciphertext.blob) throw new InvalidCiphertextException('');
    if (!madeByKeyOrRelated(ciphertext.blob, key)) throw incorrectKey();
    const { plaintext, materialId } = await decryptWithKey(deps, key, ciphertext.blob, encryptionContext ?? {});
    return { plaintext, algorithm, materialId };
  }
  const algorithm = request.algorithm;
  if (algorithm === undefined || algorithm === DEFAULT_ENCRYPTION_ALGORITHM) throw new InvalidCiphertextException('');
  refuseEncryptionContext(encryptionContext);
  return { plaintext: await decryptWithPrivateKey(deps, key, algorithm, ciphertext.bytes), algorithm };
}

/**
 * Refuses a key that cannot decrypt: `IncorrectKeyException` when the ciphertext is a symmetric blob of another
 * key, `InvalidKeyUsageException` otherwise (also for a dry run that ignores the ciphertext: `undefined`).
 */
export function assertDecryptingKey(
  key: KmsKey,
  ciphertext: ReadCiphertext | undefined,
  operation: DecryptingOperation,
): void {
  if (key.usage === 'ENCRYPT_DECRYPT') return;
  if (ciphertext?.blob !== undefined && !madeByKeyOrRelated(ciphertext.blob, key)) throw incorrectKey();
  throw new InvalidKeyUsageException(`${key.arn} key usage is ${key.usage} which is not valid for ${operation}.`);
}

/** Refuses a key that cannot encrypt, in the words of the pipeline's usage check. */
export function assertEncryptingKey(key: KmsKey, operation: 'ReEncrypt'): void {
  if (key.usage !== 'ENCRYPT_DECRYPT') {
    throw new InvalidKeyUsageException(`${key.arn} key usage is ${key.usage} which is not valid for ${operation}.`);
  }
}

function incorrectKey(): IncorrectKeyException {
  return new IncorrectKeyException('The key ID in the request does not identify a CMK that can perform this operation.');
}
