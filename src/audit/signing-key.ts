import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { SecretBytes } from '../crypto/secret-bytes.js';

/**
 * The audit signing key: an Ed25519 key pair whose private half signs the digests that seal the hash chains,
 * and whose public half anyone can use to verify a trail independently (as CloudTrail's digest files).
 * The private key is stored by the caller, wrapped by the root key; this module never writes it anywhere.
 */

/** A freshly generated audit signing key pair. */
export interface AuditSigningKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * Generates a new audit signing key.
 *
 * @example
 *   const { privateKey } = createAuditSigningKey();
 *   const pkcs8 = exportAuditSigningKey(privateKey); // wrap with the root key, then store
 */
export function createAuditSigningKey(): AuditSigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey };
}

/** The private key as PKCS#8 DER, in SecretBytes so that it cannot be logged by accident. */
export function exportAuditSigningKey(privateKey: KeyObject): SecretBytes {
  return SecretBytes.adopt(privateKey.export({ format: 'der', type: 'pkcs8' }));
}

/**
 * Loads the private signing key from a KeyObject, PKCS#8 DER bytes (SecretBytes) or a PKCS#8 PEM string.
 * Throws unless it is an Ed25519 private key. The error never contains the key.
 */
export function loadAuditSigningKey(source: KeyObject | SecretBytes | string): KeyObject {
  let key: KeyObject;
  try {
    key =
      typeof source === 'string' ? createPrivateKey({ key: source, format: 'pem' })
      : source instanceof SecretBytes ? createPrivateKey({ key: source.expose(), format: 'der', type: 'pkcs8' })
      : source;
  } catch {
    throw new Error('the audit signing key could not be parsed as a PKCS#8 private key');
  }
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new Error('the audit signing key must be an Ed25519 private key');
  }
  return key;
}

/** The public key (SPKI PEM) for independent verification: `strongroom audit public-key`. */
export function exportAuditPublicKey(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

/** Loads a verification key from an SPKI PEM string or a KeyObject (a private key yields its public half). */
export function loadAuditPublicKey(source: KeyObject | string): KeyObject {
  const key = typeof source === 'string' ? createPublicKey({ key: source, format: 'pem' }) : source;
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error('the audit verification key must be Ed25519');
  return publicKey;
}

/** Ed25519 signature over `message`. */
export function signAuditMessage(privateKey: KeyObject, message: Uint8Array): Buffer {
  return sign(null, message, privateKey);
}

/** Whether `signature` is a valid Ed25519 signature of `message`; false (never throws) on malformed input. */
export function verifyAuditMessage(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}
