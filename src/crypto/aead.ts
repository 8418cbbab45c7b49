import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { CryptoInputError, DecryptionFailedError } from './crypto-errors.js';
import { ivPool } from './random-pool.js';
import { SecretBytes } from './secret-bytes.js';

/**
 * AES-256-GCM, the one AEAD of Strongroom (symmetric KMS keys, root-key wrapping), over node:crypto.
 *
 * The parameters are fixed to what KMS uses and nothing else is accepted: 256-bit keys, 96-bit random IVs,
 * 128-bit tags. Fixing the tag length matters: node's decipher otherwise accepts a truncated tag (down to
 * 4 bytes) in `setAuthTag`, which turns a forgery from 2^-128 into 2^-32.
 */

export const AES_256_KEY_BYTES = 32;
export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

const ALGORITHM = 'aes-256-gcm';
const ALL_ZERO_KEY = Buffer.alloc(AES_256_KEY_BYTES);

/** The three parts of an AES-GCM seal; callers lay them out in their own format. */
export interface AesGcmSealed {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/**
 * An AES-256-GCM key whose bytes are not in this process (a key object in a PKCS#11 token): it seals with the
 * IV its caller chose (the ciphertext blob lays the IV out before it seals) and opens as `openAesGcm` does —
 * any failure is `DecryptionFailedError`, and no unauthenticated plaintext is returned.
 */
export interface ExternalAesGcmKey {
  sealWithIv(iv: Buffer, plaintext: Buffer, aad: Buffer): AesGcmSealed;
  open(iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): SecretBytes;
}

/**
 * Encrypts and authenticates `plaintext` (bound to `aad`) under a fresh random 12-byte IV.
 * Random IVs are safe for up to 2^32 seals under one key (NIST SP 800-38D §8.3); KMS rotates long before.
 *
 * @example
 *   const { iv, ciphertext, tag } = sealAesGcm(key, Buffer.from('hello'), aad);
 *   const plaintext = openAesGcm(key, iv, ciphertext, tag, aad); // SecretBytes
 */
export function sealAesGcm(key: SecretBytes, plaintext: Buffer, aad: Buffer): AesGcmSealed {
  return sealAesGcmWithIv(key, ivPool.take(GCM_IV_BYTES), plaintext, aad);
}

/**
 * INTERNAL — for test vectors and golden tests only. Seals with a caller-chosen IV: reusing an IV under one
 * key reveals the XOR of plaintexts and the GHASH key, so production code must call `sealAesGcm`.
 */
export function sealAesGcmWithIv(key: SecretBytes, iv: Buffer, plaintext: Buffer, aad: Buffer): AesGcmSealed {
  requireUsableKey(key);
  if (iv.length !== GCM_IV_BYTES) throw new CryptoInputError(`AES-GCM IV must be ${GCM_IV_BYTES} bytes`);
  const cipher = createCipheriv(ALGORITHM, key.expose(), iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad);
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  // GCM is a stream mode: `final()` yields nothing, so the common path avoids a concat.
  const ciphertext = tail.length === 0 ? head : Buffer.concat([head, tail]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/**
 * Verifies and decrypts. Any failure — wrong key, wrong `aad`, altered IV, ciphertext or tag, or an IV or tag
 * of the wrong size — throws `DecryptionFailedError` ("decryption failed") and releases no plaintext.
 * A key of the wrong size is a programming error and throws `CryptoInputError`.
 */
export function openAesGcm(
  key: SecretBytes,
  iv: Buffer,
  ciphertext: Buffer,
  tag: Buffer,
  aad: Buffer,
): SecretBytes {
  requireUsableKey(key);
  if (iv.length !== GCM_IV_BYTES || tag.length !== GCM_TAG_BYTES) throw new DecryptionFailedError();
  const decipher = createDecipheriv(ALGORITHM, key.expose(), iv, { authTagLength: GCM_TAG_BYTES });
  decipher.setAuthTag(tag);
  decipher.setAAD(aad);
  const plaintext = decipher.update(ciphertext);
  try {
    const tail = decipher.final();
    return SecretBytes.adopt(tail.length === 0 ? plaintext : Buffer.concat([plaintext, tail]));
  } catch {
    // The unauthenticated plaintext must not outlive the failure.
    plaintext.fill(0);
    throw new DecryptionFailedError();
  }
}

/**
 * Refuses keys of the wrong size, and the all-zero key: that is what a wiped `SecretBytes` (an evicted cache
 * entry, a disposed root key) looks like, and sealing under it would silently produce ciphertext anyone can
 * open. A genuine random key is all zeros with probability 2^-256.
 */
function requireUsableKey(key: SecretBytes): void {
  if (key.length !== AES_256_KEY_BYTES) {
    throw new CryptoInputError(`AES-256-GCM key must be ${AES_256_KEY_BYTES} bytes`);
  }
  if (timingSafeEqual(key.expose(), ALL_ZERO_KEY)) {
    throw new CryptoInputError('AES-256-GCM key is all zeros (a wiped secret)');
  }
}
