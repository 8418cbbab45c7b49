import type { KeyObject } from 'node:crypto';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { SecretBytes } from '../secret-bytes.js';
import type { OpenSslCurve } from './asymmetric-key-kind.js';
import { InvalidKeyMaterialError } from './crypto-errors.js';

/**
 * The two signature computations Node 20's OpenSSL 3.0 cannot do, delegated to @noble/curves (audited,
 * constant-time scalar arithmetic), and to nothing else:
 *
 * - ECDSA over a digest the caller computed (MessageType DIGEST): `crypto.sign` always hashes its input.
 *   noble signs the digest as given (`prehash: false`), with hedged RFC 6979 nonces, and returns DER.
 * - Ed25519ph (RFC 8032 §5.1, ED25519_PH_SHA_512): OpenSSL gained it only in 3.2. AWS requires MessageType
 *   DIGEST for it and still applies the SHA-512 prehash to what it is given ("the input is hashed twice"),
 *   which is exactly noble's `ed25519ph.sign(message)`.
 *
 * Keys stay OpenSSL `KeyObject`s; the raw private scalar or seed is exported only for the one call, held in
 * `SecretBytes` and wiped right after. RSASSA-PSS over a digest is not here (noble has no RSA): see
 * `rsa-pss-prehashed.ts`.
 */

type EcdsaCurve = typeof p256;

const CURVES: Readonly<Record<OpenSslCurve, EcdsaCurve>> = Object.freeze({
  prime256v1: p256,
  secp384r1: p384,
  secp521r1: p521,
  secp256k1,
});

/**
 * The private scalar of an EC key, from its SEC1 DER encoding (RFC 5915: SEQUENCE { INTEGER 1,
 * OCTET STRING privateKey, ... }). OpenSSL writes the scalar left-padded to the group order's length.
 */
function ecPrivateScalar(privateKey: KeyObject, fieldBytes: number): SecretBytes {
  const der = privateKey.export({ format: 'der', type: 'sec1' });
  try {
    // Skip the SEQUENCE header (short or long form length), then expect INTEGER 1 and an OCTET STRING.
    const lengthBytes = (der[1] ?? 0) & 0x80 ? ((der[1] ?? 0) & 0x7f) + 1 : 1;
    const start = 1 + lengthBytes;
    const header = der.subarray(start, start + 5);
    if (der[0] !== 0x30 || !header.equals(Buffer.from([0x02, 0x01, 0x01, 0x04, fieldBytes]))) {
      throw new InvalidKeyMaterialError('The EC private key is not in the expected SEC1 form');
    }
    return SecretBytes.copyOf(der.subarray(start + 5, start + 5 + fieldBytes));
  } finally {
    der.fill(0);
  }
}

/** The 32-byte Ed25519 seed of a private key (RFC 8410 PKCS#8: a fixed 16-byte header, then the seed). */
function ed25519Seed(privateKey: KeyObject): SecretBytes {
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  try {
    if (der.length !== 48) throw new InvalidKeyMaterialError('The Ed25519 private key is not in the expected PKCS#8 form');
    return SecretBytes.copyOf(der.subarray(16));
  } finally {
    der.fill(0);
  }
}

/** The uncompressed SEC1 point of an EC public key (from its JWK coordinates; nothing secret). */
function ecPublicPoint(publicKey: KeyObject): Uint8Array {
  const { x, y } = publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([0x04]), Buffer.from(x ?? '', 'base64url'), Buffer.from(y ?? '', 'base64url')]);
}

/**
 * A DER ECDSA signature over `digest` (signed as given, never re-hashed). Low-S, as every verifier accepts.
 * @example const signature = signEcdsaDigest(handle.keyObject, 'prime256v1', 32, sha256digest);
 */
export function signEcdsaDigest(privateKey: KeyObject, curve: OpenSslCurve, fieldBytes: number, digest: Buffer): Buffer {
  const scalar = ecPrivateScalar(privateKey, fieldBytes);
  try {
    const signature = CURVES[curve].sign(digest, scalar.expose(), { prehash: false, format: 'der', extraEntropy: true });
    return Buffer.from(signature);
  } finally {
    scalar.wipe();
  }
}

/**
 * Whether `signature` is a valid DER ECDSA signature over `digest`. High-S signatures are accepted, as
 * OpenSSL (and AWS) accept them; anything malformed is `false`.
 */
export function verifyEcdsaDigest(publicKey: KeyObject, curve: OpenSslCurve, digest: Buffer, signature: Buffer): boolean {
  try {
    return CURVES[curve].verify(signature, digest, ecPublicPoint(publicKey), { prehash: false, format: 'der', lowS: false });
  } catch {
    return false;
  }
}

/**
 * An Ed25519ph signature (RFC 8032: PureEdDSA over dom2(1, "") and SHA-512(message)) of `message`.
 * @example const signature = signEd25519ph(handle.keyObject, sha512digest); // AWS's DIGEST input, hashed again
 */
export function signEd25519ph(privateKey: KeyObject, message: Buffer): Buffer {
  const seed = ed25519Seed(privateKey);
  try {
    return Buffer.from(ed25519ph.sign(message, seed.expose()));
  } finally {
    seed.wipe();
  }
}

/** Whether `signature` is a valid Ed25519ph signature of `message`, decoded strictly (RFC 8032, not ZIP-215). */
export function verifyEd25519ph(publicKey: KeyObject, message: Buffer, signature: Buffer): boolean {
  const { x } = publicKey.export({ format: 'jwk' });
  try {
    return ed25519ph.verify(signature, message, Buffer.from(x ?? '', 'base64url'), { zip215: false });
  } catch {
    return false;
  }
}
