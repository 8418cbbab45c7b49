import { getCurves } from 'node:crypto';
import type { KeySpec } from './aws-names.js';
import { UnsupportedAlgorithmError } from './crypto-errors.js';

/** OpenSSL's names for the curves of the ECC key specs (what `asymmetricKeyDetails.namedCurve` reports). */
export type OpenSslCurve = 'prime256v1' | 'secp384r1' | 'secp521r1' | 'secp256k1';

/** ML-DSA parameter sets of FIPS 204, named by their security category as AWS's key specs are. */
export type MlDsaLevel = 44 | 65 | 87;

/**
 * What kind of key pair an asymmetric key spec is, in the terms the primitives need. The single place
 * that translates a spec into key parameters; every primitive reads it instead of switching on the spec.
 */
export type AsymmetricKeyKind =
  | { readonly type: 'rsa'; readonly modulusBits: 2048 | 3072 | 4096 }
  | {
      readonly type: 'ec';
      readonly curve: OpenSslCurve;
      readonly fieldBytes: number;
      /** The one ECDSA hash AWS pairs with the curve (ECDSA_SHA_256 for P-256 and secp256k1, …). */
      readonly ecdsaHash: 'sha256' | 'sha384' | 'sha512';
      /** Whether AWS offers KEY_AGREEMENT (ECDH) for the spec: the NIST curves, not secp256k1. */
      readonly keyAgreement: boolean;
    }
  | { readonly type: 'ed25519' }
  | { readonly type: 'ml-dsa'; readonly level: MlDsaLevel };

/** The asymmetric specs this layer implements (SM2 is absent: see `isSupported`). */
export type AsymmetricKeySpec = Exclude<
  KeySpec,
  'SYMMETRIC_DEFAULT' | 'HMAC_224' | 'HMAC_256' | 'HMAC_384' | 'HMAC_512' | 'SM2'
>;

const KINDS: Readonly<Record<AsymmetricKeySpec, AsymmetricKeyKind>> = Object.freeze({
  RSA_2048: { type: 'rsa', modulusBits: 2048 },
  RSA_3072: { type: 'rsa', modulusBits: 3072 },
  RSA_4096: { type: 'rsa', modulusBits: 4096 },
  ECC_NIST_P256: { type: 'ec', curve: 'prime256v1', fieldBytes: 32, ecdsaHash: 'sha256', keyAgreement: true },
  ECC_NIST_P384: { type: 'ec', curve: 'secp384r1', fieldBytes: 48, ecdsaHash: 'sha384', keyAgreement: true },
  ECC_NIST_P521: { type: 'ec', curve: 'secp521r1', fieldBytes: 66, ecdsaHash: 'sha512', keyAgreement: true },
  ECC_SECG_P256K1: { type: 'ec', curve: 'secp256k1', fieldBytes: 32, ecdsaHash: 'sha256', keyAgreement: false },
  ECC_NIST_EDWARDS25519: { type: 'ed25519' },
  ML_DSA_44: { type: 'ml-dsa', level: 44 },
  ML_DSA_65: { type: 'ml-dsa', level: 65 },
  ML_DSA_87: { type: 'ml-dsa', level: 87 },
});

function isImplemented(spec: KeySpec): spec is AsymmetricKeySpec {
  return Object.hasOwn(KINDS, spec);
}

/**
 * Whether this runtime can create and use asymmetric keys of `spec`.
 *
 * SM2 is `false` even though OpenSSL 3.0 knows the curve: Node's API can neither set the SM2 distinguishing
 * ID that SM2DSA signatures bind (AWS uses `1234567812345678`) nor perform SM2PKE encryption, so an SM2 key
 * could not behave as AWS's does. Symmetric and HMAC specs are not asymmetric and are `false` too.
 *
 * @example
 *   isSupported('ECC_NIST_P256'); // true
 *   isSupported('SM2');           // false
 */
export function isSupported(spec: KeySpec): boolean {
  if (!isImplemented(spec)) return false;
  const kind = KINDS[spec];
  return kind.type !== 'ec' || getCurves().includes(kind.curve);
}

/**
 * The key kind of an asymmetric spec.
 * @throws UnsupportedAlgorithmError for symmetric, HMAC and unsupported specs.
 */
export function asymmetricKeyKind(spec: KeySpec): AsymmetricKeyKind {
  if (!isImplemented(spec) || !isSupported(spec)) {
    throw new UnsupportedAlgorithmError(`Key spec ${spec} is not a supported asymmetric key spec`);
  }
  return KINDS[spec];
}
