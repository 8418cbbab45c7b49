import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import type { EncryptionAlgorithm, KeySpec } from './aws-names.js';
import { SecretBytes } from '../secret-bytes.js';
import { asymmetricKeyKind } from './asymmetric-key-kind.js';
import { DecryptionFailedError, PlaintextTooLargeError, UnsupportedAlgorithmError } from './crypto-errors.js';
import type { PrivateKeyHandle, PublicKeyHandle } from './key-handles.js';

/**
 * RSAES-OAEP as AWS KMS uses it: the label is empty and MGF1 uses the same hash as OAEP
 * (RSAES_OAEP_SHA_1: SHA-1/MGF1-SHA-1; RSAES_OAEP_SHA_256: SHA-256/MGF1-SHA-256). Node passes `oaepHash`
 * to OpenSSL as both the OAEP digest and, by OpenSSL's default, the MGF1 digest.
 */
export type RsaOaepAlgorithm = Extract<EncryptionAlgorithm, 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256'>;

const OAEP_HASH: Readonly<Record<RsaOaepAlgorithm, { name: 'sha1' | 'sha256'; bytes: number }>> = {
  RSAES_OAEP_SHA_1: { name: 'sha1', bytes: 20 },
  RSAES_OAEP_SHA_256: { name: 'sha256', bytes: 32 },
};

function oaepHash(algorithm: EncryptionAlgorithm): { name: 'sha1' | 'sha256'; bytes: number } {
  const hash = (OAEP_HASH as Readonly<Partial<Record<EncryptionAlgorithm, { name: 'sha1' | 'sha256'; bytes: number }>>>)[algorithm];
  if (hash === undefined) throw new UnsupportedAlgorithmError(`${algorithm} is not an RSA-OAEP algorithm`);
  return hash;
}

function rsaModulusBytes(spec: KeySpec, algorithm: EncryptionAlgorithm): number {
  const kind = asymmetricKeyKind(spec);
  if (kind.type !== 'rsa') throw new UnsupportedAlgorithmError(`${algorithm} is not an encryption algorithm of ${spec} keys`);
  return kind.modulusBits / 8;
}

/**
 * The longest plaintext RSA-OAEP can encrypt: k − 2·hLen − 2 bytes (RFC 8017 §7.1.1), which gives AWS's
 * documented limits — RSA_2048: 214 (SHA-1) / 190 (SHA-256); RSA_3072: 342 / 318; RSA_4096: 470 / 446.
 * @example maxRsaOaepPlaintext('RSA_2048', 'RSAES_OAEP_SHA_256'); // 190
 */
export function maxRsaOaepPlaintext(spec: KeySpec, algorithm: EncryptionAlgorithm): number {
  return rsaModulusBytes(spec, algorithm) - 2 * oaepHash(algorithm).bytes - 2;
}

/**
 * Encrypts with the public key. Randomised: two encryptions of one plaintext differ.
 * @throws PlaintextTooLargeError above `maxRsaOaepPlaintext`.
 * @throws UnsupportedAlgorithmError for a non-RSA key or a non-OAEP algorithm.
 */
export function rsaOaepEncrypt(publicKey: PublicKeyHandle, algorithm: EncryptionAlgorithm, plaintext: SecretBytes): Buffer {
  const limit = maxRsaOaepPlaintext(publicKey.spec, algorithm);
  if (plaintext.length > limit) {
    throw new PlaintextTooLargeError(`${algorithm} with a ${publicKey.spec} key encrypts at most ${limit} bytes`);
  }
  if (publicKey.backend !== 'openssl') throw new UnsupportedAlgorithmError(`${algorithm} needs an RSA key`);
  return publicEncrypt(
    { key: publicKey.keyObject, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaepHash(algorithm).name },
    plaintext.expose(),
  );
}

/**
 * Decrypts with the private key.
 * @throws DecryptionFailedError for any ciphertext that does not decrypt — wrong length, wrong padding,
 *   another key or algorithm — without saying which (no padding oracle).
 * @throws UnsupportedAlgorithmError for a non-RSA key or a non-OAEP algorithm.
 */
export function rsaOaepDecrypt(handle: PrivateKeyHandle, algorithm: EncryptionAlgorithm, ciphertext: Buffer): SecretBytes {
  const modulusBytes = rsaModulusBytes(handle.spec, algorithm);
  const hash = oaepHash(algorithm);
  if (handle.backend !== 'openssl' || ciphertext.length !== modulusBytes) throw new DecryptionFailedError();
  try {
    return SecretBytes.adopt(
      privateDecrypt({ key: handle.keyObject, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash.name }, ciphertext),
    );
  } catch {
    throw new DecryptionFailedError();
  }
}
