import { constants, createDecipheriv, createPrivateKey, privateDecrypt, type KeyObject } from 'node:crypto';
import { DecryptionFailedError } from './crypto-errors.js';
import { SecretBytes } from './secret-bytes.js';

/**
 * The wrapping algorithms of AWS KMS's key import (GetParametersForImport), for the RSA wrapping key pair it
 * hands out. RSAES_PKCS1_V1_5 is AWS's deprecated one (refused since October 2023), SM2PKE its China-only one;
 * neither is offered here.
 */
export type ImportWrappingAlgorithm =
  | 'RSAES_OAEP_SHA_1'
  | 'RSAES_OAEP_SHA_256'
  | 'RSA_AES_KEY_WRAP_SHA_1'
  | 'RSA_AES_KEY_WRAP_SHA_256';

export const IMPORT_WRAPPING_ALGORITHMS: readonly ImportWrappingAlgorithm[] = Object.freeze([
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
  'RSA_AES_KEY_WRAP_SHA_256',
]);

/** The RSA wrapping key pairs GetParametersForImport hands out (AWS's China-only SM2 is not offered). */
export type WrappingKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';

export const WRAPPING_KEY_SPECS: readonly WrappingKeySpec[] = Object.freeze(['RSA_2048', 'RSA_3072', 'RSA_4096']);

const OAEP_HASH: Readonly<Record<ImportWrappingAlgorithm, 'sha1' | 'sha256'>> = Object.freeze({
  RSAES_OAEP_SHA_1: 'sha1',
  RSAES_OAEP_SHA_256: 'sha256',
  RSA_AES_KEY_WRAP_SHA_1: 'sha1',
  RSA_AES_KEY_WRAP_SHA_256: 'sha256',
});

/** RFC 5649's alternative initial value, which OpenSSL's `id-aes256-wrap-pad` (and AWS's CLI examples) use. */
const KEY_WRAP_PAD_IV = Buffer.from('A65959A6', 'hex');
const AES_KEY_BYTES = 32;

/**
 * Unwraps key material that a caller wrapped for import, as AWS's developer guide tells them to:
 * - `RSAES_OAEP_SHA_*`: RSA-OAEP with SHA-1 or SHA-256, MGF1 with the same hash, empty label, over the material;
 * - `RSA_AES_KEY_WRAP_SHA_*`: the RSA-OAEP encryption (as above) of a fresh 256-bit AES key, followed by the
 *   material wrapped with that key by AES Key Wrap with Padding (RFC 5649) — for material too long for OAEP
 *   alone (RSA private keys).
 * Every step is OpenSSL's through node:crypto. The ephemeral AES key is wiped after use.
 *
 * @param wrappingKey the wrapping key pair's private key, PKCS#8 DER.
 * @throws DecryptionFailedError for anything that does not unwrap (one message for every cause).
 * @example
 *   const material = unwrapImportedMaterial('RSAES_OAEP_SHA_256', wrappingPrivateKey, encryptedKeyMaterial);
 */
export function unwrapImportedMaterial(
  algorithm: ImportWrappingAlgorithm,
  wrappingKey: SecretBytes,
  encrypted: Buffer,
): SecretBytes {
  const privateKey = createPrivateKey({ key: wrappingKey.expose(), format: 'der', type: 'pkcs8' });
  const oaep = (ciphertext: Buffer) => oaepDecrypt(privateKey, OAEP_HASH[algorithm], ciphertext);
  if (algorithm === 'RSAES_OAEP_SHA_1' || algorithm === 'RSAES_OAEP_SHA_256') return oaep(encrypted);
  const modulusBytes = (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (encrypted.length <= modulusBytes) throw new DecryptionFailedError();
  const aesKey = oaep(encrypted.subarray(0, modulusBytes));
  try {
    if (aesKey.length !== AES_KEY_BYTES) throw new DecryptionFailedError();
    return aesKeyUnwrapPadded(aesKey, encrypted.subarray(modulusBytes));
  } finally {
    aesKey.wipe();
  }
}

function oaepDecrypt(privateKey: KeyObject, hash: 'sha1' | 'sha256', ciphertext: Buffer): SecretBytes {
  try {
    return SecretBytes.adopt(
      privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, ciphertext),
    );
  } catch {
    throw new DecryptionFailedError();
  }
}

function aesKeyUnwrapPadded(key: SecretBytes, wrapped: Buffer): SecretBytes {
  try {
    const decipher = createDecipheriv('id-aes256-wrap-pad', key.expose(), KEY_WRAP_PAD_IV);
    return SecretBytes.adopt(Buffer.concat([decipher.update(wrapped), decipher.final()]));
  } catch {
    throw new DecryptionFailedError();
  }
}
