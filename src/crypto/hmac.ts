import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeySpec, MacAlgorithm } from './asymmetric/aws-names.js';
import { InvalidSignatureInputError, UnsupportedAlgorithmError } from './asymmetric/crypto-errors.js';
import { SecretBytes } from './secret-bytes.js';

/**
 * HMAC for GenerateMac/VerifyMac (RFC 2104 over SHA-2, via node:crypto).
 *
 * Tags are always the full digest length (28/32/48/64 bytes), as AWS's GenerateMac returns them, and
 * `hmacVerify` accepts only a full-length tag: a truncated tag is a different (weaker) MAC that AWS never
 * issues, so it is an invalid MAC here, not a shorter valid one.
 */

export type HmacKeySpec = Extract<KeySpec, 'HMAC_224' | 'HMAC_256' | 'HMAC_384' | 'HMAC_512'>;

const DIGESTS: Readonly<Record<MacAlgorithm, { name: string; bytes: number }>> = Object.freeze({
  HMAC_SHA_224: { name: 'sha224', bytes: 28 },
  HMAC_SHA_256: { name: 'sha256', bytes: 32 },
  HMAC_SHA_384: { name: 'sha384', bytes: 48 },
  HMAC_SHA_512: { name: 'sha512', bytes: 64 },
});

/** AWS's HMAC key sizes: the key is as long as the digest (HMAC_224: 224 bits … HMAC_512: 512 bits). */
export const HMAC_KEY_BYTES: Readonly<Record<HmacKeySpec, number>> = Object.freeze({
  HMAC_224: 28,
  HMAC_256: 32,
  HMAC_384: 48,
  HMAC_512: 64,
});

function digestOf(algorithm: MacAlgorithm): { name: string; bytes: number } {
  const digest = (DIGESTS as Readonly<Partial<Record<string, { name: string; bytes: number }>>>)[algorithm];
  if (digest === undefined) throw new UnsupportedAlgorithmError(`${algorithm} is not a MAC algorithm`);
  return digest;
}

/** The tag length of `algorithm` in bytes (what GenerateMac returns). */
export function hmacTagLength(algorithm: MacAlgorithm): number {
  return digestOf(algorithm).bytes;
}

/**
 * New HMAC key material of AWS's size for the spec.
 * @example const key = generateHmacKey('HMAC_256', randomBytes); // 32 secret bytes
 */
export function generateHmacKey(spec: HmacKeySpec, randomBytes: (length: number) => Buffer): SecretBytes {
  const length = HMAC_KEY_BYTES[spec];
  if (length === undefined) throw new UnsupportedAlgorithmError(`${spec as string} is not an HMAC key spec`);
  return SecretBytes.adopt(randomBytes(length));
}

/**
 * The full-length HMAC of `message`. Key length is not policed here (RFC 2104 takes any length; which
 * lengths imported key material may have is the key layer's rule), but an empty key is refused.
 * @example const mac = hmacGenerate(key, 'HMAC_SHA_256', Buffer.from('message')); // 32 bytes
 */
export function hmacGenerate(key: SecretBytes, algorithm: MacAlgorithm, message: Buffer): Buffer {
  const digest = digestOf(algorithm);
  if (key.length === 0) throw new InvalidSignatureInputError('An HMAC key must not be empty');
  return createHmac(digest.name, key.expose()).update(message).digest();
}

/**
 * Whether `mac` is the full-length HMAC of `message`, compared in constant time. Any other length —
 * including a truncated prefix of the right tag — is `false`.
 */
export function hmacVerify(key: SecretBytes, algorithm: MacAlgorithm, message: Buffer, mac: Buffer): boolean {
  const expected = hmacGenerate(key, algorithm, message);
  // The tag length is public (it is fixed by the algorithm), so leaving early on it leaks nothing.
  if (mac.length !== expected.length) return false;
  return timingSafeEqual(expected, mac);
}
