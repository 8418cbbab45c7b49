import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { KeySpec } from './aws-names.js';
import type { SecretBytes } from '../secret-bytes.js';
import { asymmetricKeyKind, type AsymmetricKeyKind, type AsymmetricKeySpec } from './asymmetric-key-kind.js';
import { InvalidKeyMaterialError, InvalidPublicKeyError } from './crypto-errors.js';
import { decodeMlDsaPkcs8, decodeMlDsaSpki, encodeMlDsaSpki, expandMlDsaSeed } from './ml-dsa-keys.js';

export type OpenSslKeyKind = Exclude<AsymmetricKeyKind, { type: 'ml-dsa' }>;
export type MlDsaKeyKind = Extract<AsymmetricKeyKind, { type: 'ml-dsa' }>;

/** A parsed public key of a known spec; `spki` is its DER SubjectPublicKeyInfo (what GetPublicKey returns). */
export type PublicKeyHandle =
  | { readonly backend: 'openssl'; readonly spec: AsymmetricKeySpec; readonly kind: OpenSslKeyKind; readonly keyObject: KeyObject; readonly spki: Buffer }
  | { readonly backend: 'ml-dsa'; readonly spec: AsymmetricKeySpec; readonly kind: MlDsaKeyKind; readonly rawKey: Uint8Array; readonly spki: Buffer };

/**
 * A parsed private key of a known spec, ready for signing, decryption or key agreement. Parsing costs far
 * more than most operations, so callers cache handles (per key material version) rather than PKCS#8 bytes.
 * The secret stays inside a `KeyObject` (which neither prints nor serialises its key) or `SecretBytes`.
 */
export type PrivateKeyHandle =
  | { readonly backend: 'openssl'; readonly spec: AsymmetricKeySpec; readonly kind: OpenSslKeyKind; readonly keyObject: KeyObject; readonly publicKey: PublicKeyHandle }
  | { readonly backend: 'ml-dsa'; readonly spec: AsymmetricKeySpec; readonly kind: MlDsaKeyKind; readonly secretKey: SecretBytes; readonly publicKey: PublicKeyHandle };

function specAndKind(spec: KeySpec): { spec: AsymmetricKeySpec; kind: AsymmetricKeyKind } {
  return { spec: spec as AsymmetricKeySpec, kind: asymmetricKeyKind(spec) };
}

/** Whether an OpenSSL key is of the kind the spec demands (type, modulus size, curve). */
function keyObjectMatches(key: KeyObject, kind: OpenSslKeyKind): boolean {
  const details = key.asymmetricKeyDetails ?? {};
  switch (kind.type) {
    case 'rsa':
      return key.asymmetricKeyType === 'rsa' && details.modulusLength === kind.modulusBits;
    case 'ec':
      return key.asymmetricKeyType === 'ec' && details.namedCurve === kind.curve;
    case 'ed25519':
      return key.asymmetricKeyType === 'ed25519';
  }
}

/**
 * Parses a DER SubjectPublicKeyInfo as a public key of `spec`.
 * @throws InvalidPublicKeyError when it does not parse or is a key of another spec.
 * @throws UnsupportedAlgorithmError when `spec` is not a supported asymmetric spec.
 * @example
 *   const publicKey = loadPublicKey(spkiFromGetPublicKey, 'ECC_NIST_P256');
 */
export function loadPublicKey(spki: Buffer, spec: KeySpec): PublicKeyHandle {
  const { spec: asymmetricSpec, kind } = specAndKind(spec);
  const copy = Buffer.from(spki);
  if (kind.type === 'ml-dsa') {
    const rawKey = decodeMlDsaSpki(kind.level, copy);
    return Object.freeze({ backend: 'ml-dsa', spec: asymmetricSpec, kind, rawKey, spki: copy });
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: copy, format: 'der', type: 'spki' });
  } catch {
    throw new InvalidPublicKeyError('The public key is not a valid DER-encoded SubjectPublicKeyInfo');
  }
  if (!keyObjectMatches(keyObject, kind)) {
    throw new InvalidPublicKeyError(`The public key is not a ${spec} key`);
  }
  return Object.freeze({ backend: 'openssl', spec: asymmetricSpec, kind, keyObject, spki: copy });
}

/**
 * Parses PKCS#8 DER private key material of `spec` (ML-DSA: the seed form of `ml-dsa-keys.ts`).
 * @throws InvalidKeyMaterialError when it does not parse or is a key of another spec.
 * @throws UnsupportedAlgorithmError when `spec` is not a supported asymmetric spec.
 * @example
 *   const handle = loadPrivateKey(unwrappedPkcs8, 'RSA_2048'); // cache it beside the material version
 *   const signature = sign(handle, 'RSASSA_PSS_SHA_256', message, 'RAW');
 */
export function loadPrivateKey(pkcs8: SecretBytes, spec: KeySpec): PrivateKeyHandle {
  const { spec: asymmetricSpec, kind } = specAndKind(spec);
  if (kind.type === 'ml-dsa') {
    const seed = decodeMlDsaPkcs8(kind.level, pkcs8);
    const { secretKey, publicKey } = expandMlDsaSeed(kind.level, seed);
    seed.wipe();
    const publicHandle = loadPublicKey(encodeMlDsaSpki(kind.level, publicKey), spec);
    return Object.freeze({ backend: 'ml-dsa', spec: asymmetricSpec, kind, secretKey, publicKey: publicHandle });
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: pkcs8.expose(), format: 'der', type: 'pkcs8' });
  } catch {
    throw new InvalidKeyMaterialError(`The private key material is not a valid PKCS#8 ${spec} key`);
  }
  if (!keyObjectMatches(keyObject, kind)) {
    throw new InvalidKeyMaterialError(`The private key material is not a ${spec} key`);
  }
  const spki = createPublicKey(keyObject).export({ format: 'der', type: 'spki' });
  const publicHandle: PublicKeyHandle = Object.freeze({ backend: 'openssl', spec: asymmetricSpec, kind, keyObject: createPublicKey(keyObject), spki });
  return Object.freeze({ backend: 'openssl', spec: asymmetricSpec, kind, keyObject, publicKey: publicHandle });
}
