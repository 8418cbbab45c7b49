import type { KeyMetadata, KeySpec, KeyUsageType } from '@aws-sdk/client-kms';

/** The key usages of the KMS API model (the SDK also knows ML-KEM's, which the model does not). */
export type ModelKeyUsage = Exclude<KeyUsageType, 'ENCAPSULATE_DECAPSULATE'>;

/** The kinds of key the create page groups specs by, as the AWS console does. */
export type KeySpecGroup = 'Symmetric encryption' | 'HMAC' | 'RSA' | 'Elliptic curve' | 'ML-DSA (post-quantum)' | 'SM2';

/** A key spec CreateKey accepts, with what a user needs to choose it. */
export interface KeySpecChoice {
  readonly spec: KeySpec;
  readonly label: string;
  readonly group: KeySpecGroup;
  /** The key usages AWS pairs with the spec, the default first ("Choose a key spec and key usage" in AWS's guide). */
  readonly usages: readonly ModelKeyUsage[];
  /**
   * Whether a key of the spec may be created for imported material (Origin EXTERNAL): AWS's requirements for
   * imported key material leave out ML-DSA, Ed25519 and SM2.
   */
  readonly importable: boolean;
}

const SIGN_ONLY: readonly ModelKeyUsage[] = ['SIGN_VERIFY'];
const NIST_CURVE: readonly ModelKeyUsage[] = ['SIGN_VERIFY', 'KEY_AGREEMENT'];
const RSA: readonly ModelKeyUsage[] = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'];

/**
 * Every spec of the KMS API model (service-2.json `KeySpec`), in the order the AWS console lists them. The SDK also
 * knows ML-KEM specs, which the model this server implements does not: they are left out.
 */
export const KEY_SPEC_CHOICES: readonly KeySpecChoice[] = [
  { spec: 'SYMMETRIC_DEFAULT', label: 'SYMMETRIC_DEFAULT (AES-256-GCM)', group: 'Symmetric encryption', usages: ['ENCRYPT_DECRYPT'], importable: true },
  ...(['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'] as const).map((spec) => ({
    spec, label: spec, group: 'HMAC' as const, usages: ['GENERATE_VERIFY_MAC'] as const, importable: true,
  })),
  ...(['RSA_2048', 'RSA_3072', 'RSA_4096'] as const).map((spec) => ({ spec, label: spec, group: 'RSA' as const, usages: RSA, importable: true })),
  { spec: 'ECC_NIST_P256', label: 'ECC_NIST_P256 (secp256r1)', group: 'Elliptic curve', usages: NIST_CURVE, importable: true },
  { spec: 'ECC_NIST_P384', label: 'ECC_NIST_P384 (secp384r1)', group: 'Elliptic curve', usages: NIST_CURVE, importable: true },
  { spec: 'ECC_NIST_P521', label: 'ECC_NIST_P521 (secp521r1)', group: 'Elliptic curve', usages: NIST_CURVE, importable: true },
  { spec: 'ECC_SECG_P256K1', label: 'ECC_SECG_P256K1 (secp256k1)', group: 'Elliptic curve', usages: SIGN_ONLY, importable: true },
  { spec: 'ECC_NIST_EDWARDS25519', label: 'ECC_NIST_EDWARDS25519 (Ed25519)', group: 'Elliptic curve', usages: SIGN_ONLY, importable: false },
  ...(['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'] as const).map((spec) => ({
    spec, label: spec, group: 'ML-DSA (post-quantum)' as const, usages: SIGN_ONLY, importable: false,
  })),
  {
    spec: 'SM2', label: 'SM2 (AWS China Regions only)', group: 'SM2',
    usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'], importable: false,
  },
];

/** The words the console uses for each key usage, with AWS's name beside them. */
export const KEY_USAGE_LABELS: Readonly<Record<ModelKeyUsage, string>> = {
  ENCRYPT_DECRYPT: 'Encrypt and decrypt',
  SIGN_VERIFY: 'Sign and verify',
  GENERATE_VERIFY_MAC: 'Generate and verify MAC',
  KEY_AGREEMENT: 'Key agreement',
};

/**
 * Whether the key is a key pair, so has a public key to show and download (GetPublicKey): every spec but the
 * symmetric and HMAC ones, including any the table above does not know yet.
 */
export function hasPublicKey(metadata: KeyMetadata): boolean {
  const spec = metadata.KeySpec;
  return spec !== undefined && spec !== 'SYMMETRIC_DEFAULT' && !spec.startsWith('HMAC_');
}
