import { generateKeyPair as opensslGenerateKeyPair } from 'node:crypto';
import type { KeySpec } from '../asymmetric/aws-names.js';
import { asymmetricKeyKind, type AsymmetricKeyKind } from '../asymmetric/asymmetric-key-kind.js';
import { generateMlDsaKeyPair } from '../asymmetric/ml-dsa-keys.js';
import { SecretBytes } from '../secret-bytes.js';

/** A new key pair: PKCS#8 DER private key (secret) and DER SubjectPublicKeyInfo public key. */
export interface AsymmetricKeyPair {
  readonly privateKey: SecretBytes;
  readonly publicKey: Buffer;
}

const DER_ENCODINGS = {
  publicKeyEncoding: { type: 'spki', format: 'der' },
  privateKeyEncoding: { type: 'pkcs8', format: 'der' },
} as const;

function opensslKeyPair(kind: Exclude<AsymmetricKeyKind, { type: 'ml-dsa' }>): Promise<AsymmetricKeyPair> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: Buffer, privateKey: Buffer): void => {
      if (error) reject(error);
      else resolve({ privateKey: SecretBytes.adopt(privateKey), publicKey });
    };
    // Node runs these on libuv's threadpool: an RSA-4096 generation (~1.2 s) never blocks the event loop.
    switch (kind.type) {
      case 'rsa':
        opensslGenerateKeyPair('rsa', { modulusLength: kind.modulusBits, publicExponent: 65537, ...DER_ENCODINGS }, done);
        return;
      case 'ec':
        opensslGenerateKeyPair('ec', { namedCurve: kind.curve, ...DER_ENCODINGS }, done);
        return;
      case 'ed25519':
        opensslGenerateKeyPair('ed25519', DER_ENCODINGS, done);
        return;
    }
  });
}

/**
 * Generates a key pair of an asymmetric spec, off the event loop for OpenSSL keys. ML-DSA keys come from a
 * 32-byte seed drawn from `randomBytes` (a few milliseconds of JavaScript).
 * @throws UnsupportedAlgorithmError for symmetric, HMAC and unsupported specs (SM2).
 * @example const { privateKey, publicKey } = await generateFreshKeyPair('ECC_NIST_P256', randomBytes);
 */
export async function generateFreshKeyPair(
  spec: KeySpec,
  randomBytes: (length: number) => Buffer,
): Promise<AsymmetricKeyPair> {
  const kind = asymmetricKeyKind(spec);
  if (kind.type === 'ml-dsa') return generateMlDsaKeyPair(kind.level, randomBytes);
  return opensslKeyPair(kind);
}
