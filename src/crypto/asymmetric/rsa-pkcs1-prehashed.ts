import { constants, privateEncrypt, publicDecrypt, type KeyObject } from 'node:crypto';

/**
 * RSASSA-PKCS1-v1_5 over a digest the caller already computed (MessageType DIGEST). Node's `crypto.sign`
 * always hashes its input, so this uses OpenSSL's raw RSA private-key operation with PKCS#1 type-1 padding
 * (`privateEncrypt`, i.e. EVP_PKEY_sign without a digest) over DigestInfo ‖ digest, which is exactly
 * EMSA-PKCS1-v1_5 (RFC 8017 §9.2): OpenSSL does the padding, we only supply the DigestInfo prefix.
 */

/** The DER DigestInfo prefixes of RFC 8017 §9.2, note 1 (AlgorithmIdentifier with NULL parameters). */
const DIGEST_INFO_PREFIX: Readonly<Record<'sha256' | 'sha384' | 'sha512', Buffer>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

function modulusBytes(key: KeyObject): number {
  return Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

/** Signs `digest` (already of the hash's length) with PKCS#1 v1.5 padding. */
export function signPkcs1Prehashed(privateKey: KeyObject, hash: 'sha256' | 'sha384' | 'sha512', digest: Buffer): Buffer {
  const encoded = Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, encoded);
}

/**
 * Verifies a PKCS#1 v1.5 signature over `digest`. The recovered DigestInfo must equal the expected one
 * byte for byte (DER with the NULL parameter), as OpenSSL's own verification demands; a signature must be
 * exactly as long as the modulus.
 */
export function verifyPkcs1Prehashed(
  publicKey: KeyObject,
  hash: 'sha256' | 'sha384' | 'sha512',
  digest: Buffer,
  signature: Buffer,
): boolean {
  if (signature.length !== modulusBytes(publicKey)) return false;
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  return recovered.equals(Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]));
}
