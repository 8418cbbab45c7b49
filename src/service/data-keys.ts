import { SecretBytes } from '../crypto/secret-bytes.js';
import { InvalidKeyUsageException, ValidationException } from '../errors.js';
import type { KmsKey } from '../keys/key.js';
import { KEY_SPECS } from '../keys/key-spec.js';
import type { ServiceDependencies } from './services.js';
import { encryptWithKey, type EncryptionContext } from './symmetric-encryption.js';

/** The data key sizes GenerateDataKey offers by name (the wire's `DataKeySpec`). */
export type DataKeySpec = 'AES_128' | 'AES_256';

const DATA_KEY_SPEC_BYTES: Readonly<Record<DataKeySpec, number>> = Object.freeze({ AES_128: 16, AES_256: 32 });

/** What a data key request asks for: a named spec or a byte count — exactly one of them. */
export interface DataKeyLengthRequest {
  readonly keySpec?: DataKeySpec | undefined;
  readonly numberOfBytes?: number | undefined;
}

/** A fresh data key: its plaintext (owned by the caller) and its ciphertext under the KMS key. */
export interface GeneratedDataKey {
  readonly plaintext: SecretBytes;
  readonly ciphertext: Buffer;
  /** The key material version that encrypted the data key. */
  readonly materialId: string;
}

/**
 * The length in bytes of the data key a request asks for. AWS requires exactly one of `KeySpec` and
 * `NumberOfBytes` and answers both mistakes with the same message. The byte range (1–1024) is checked by the
 * generated request validation before this runs.
 *
 * @example
 *   dataKeyLength({ keySpec: 'AES_256' }); // 32
 *   dataKeyLength({ numberOfBytes: 64 });  // 64
 *   dataKeyLength({});                      // throws ValidationException
 */
export function dataKeyLength(request: DataKeyLengthRequest): number {
  const { keySpec, numberOfBytes } = request;
  if ((keySpec === undefined) === (numberOfBytes === undefined)) {
    throw new ValidationException('Please specify either number of bytes or key spec.');
  }
  return keySpec !== undefined ? DATA_KEY_SPEC_BYTES[keySpec] : (numberOfBytes as number);
}

/**
 * Generates a random data key of `length` bytes and encrypts it under the key's current material, bound to
 * `encryptionContext`. The caller owns the returned plaintext: it returns it to the requester (GenerateDataKey)
 * or wipes it (GenerateDataKeyWithoutPlaintext).
 */
export async function generateDataKey(
  deps: ServiceDependencies,
  key: KmsKey,
  length: number,
  encryptionContext: EncryptionContext,
): Promise<GeneratedDataKey> {
  // Data keys come only from symmetric encryption keys: an RSA or SM2 key has no "current material" to wrap with.
  if (!KEY_SPECS[key.spec].wrapsDataKeys) {
    throw new InvalidKeyUsageException('You cannot generate a data key with an asymmetric CMK');
  }
  const plaintext = SecretBytes.random(length);
  try {
    const { ciphertext, materialId } = await encryptWithKey(deps, key, plaintext.expose(), encryptionContext);
    return { plaintext, ciphertext, materialId };
  } catch (error) {
    plaintext.wipe();
    throw error;
  }
}

/** `count` bytes from the operating system's CSPRNG (GenerateRandom). */
export function generateRandomBytes(count: number): SecretBytes {
  return SecretBytes.random(count);
}
