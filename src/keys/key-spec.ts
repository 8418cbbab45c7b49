/**
 * Key specs as a capability table: everything a KMS key's spec decides. Its key type, the usages it allows
 * (and the one CreateKey defaults to), the algorithms each usage offers, how much plaintext each encryption
 * algorithm takes, how long secret key material is, whether it binds an encryption context, wraps data keys
 * and rotates, and whether this server offers it at all. Every decision by spec — in the service,
 * authorization and wire layers alike — reads this table; none compares spec names
 * (test/keys/key-spec-table.test.ts fails on one that does).
 *
 * Not owned here: how the crypto layer turns a spec into primitive parameters (modulus size, curve, ML-DSA
 * level in `crypto/asymmetric/asymmetric-key-kind.ts`; HMAC key length in `crypto/hmac.ts`). Those tables
 * are the primitives' own, kept in step with this one by tests.
 */
// The AWS names of specs and algorithms are declared once, in the crypto layer that implements them
// (keys → crypto, never the other way); the domain re-exports them.
import type { EncryptionAlgorithm, KeySpec, MacAlgorithm, SigningAlgorithm } from '../crypto/asymmetric/aws-names.js';
import type { HmacKeySpec } from '../crypto/hmac.js';

export type { EncryptionAlgorithm, HmacKeySpec, KeySpec, MacAlgorithm, SigningAlgorithm };

export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';
export type KeyAgreementAlgorithm = 'ECDH';

/** AWS's three types of KMS key: symmetric encryption, HMAC, and asymmetric (a key pair). */
export type KeyType = 'symmetric' | 'hmac' | 'asymmetric';

/** The spec's algorithm lists, named as DescribeKey names them. */
export type AlgorithmFamily = 'encryptionAlgorithms' | 'signingAlgorithms' | 'macAlgorithms' | 'keyAgreementAlgorithms';

/** The spec CreateKey uses when the request names none (neither `KeySpec` nor `CustomerMasterKeySpec`). */
export const DEFAULT_KEY_SPEC = 'SYMMETRIC_DEFAULT' satisfies KeySpec;

/**
 * The algorithm an encryption request means when it names none, whatever the key: AWS's default, which only
 * a symmetric key offers (an RSA key refuses it, so RSA requests must name their algorithm).
 */
export const DEFAULT_ENCRYPTION_ALGORITHM = 'SYMMETRIC_DEFAULT' satisfies EncryptionAlgorithm;

export interface KeySpecCapabilities {
  /**
   * An alias may move only between keys of one type; only asymmetric keys have a public key (GetPublicKey);
   * CreateKey makes 32 random bytes, an HMAC key or a key pair according to it.
   */
  readonly keyType: KeyType;
  /** The key usages CreateKey accepts with the spec. */
  readonly usages: readonly KeyUsage[];
  /** The usage CreateKey gives when the request names none; `undefined` where AWS requires `KeyUsage`. */
  readonly defaultUsage: KeyUsage | undefined;
  /** What DescribeKey lists under each usage, and all an operation of that usage accepts. */
  readonly encryptionAlgorithms: readonly EncryptionAlgorithm[];
  readonly signingAlgorithms: readonly SigningAlgorithm[];
  readonly macAlgorithms: readonly MacAlgorithm[];
  readonly keyAgreementAlgorithms: readonly KeyAgreementAlgorithm[];
  /**
   * The longest plaintext Encrypt takes per algorithm where the spec sets a limit below the request's own
   * 4096 bytes: AWS's documented numbers (RSA-OAEP: k − 2·hLen − 2 bytes; SM2PKE: 1024).
   */
  readonly maxPlaintextBytes: Readonly<Partial<Record<EncryptionAlgorithm, number>>>;
  /**
   * The length of a symmetric or HMAC key's secret material: CreateKey makes `min` bytes (crypto/hmac.ts sizes
   * HMAC keys alike; a test keeps them equal), and material given from outside may have `min` to `max` bytes
   * (AWS's requirements for imported key material: HMAC from the digest length up to 1024 bits).
   * `undefined` for key pairs.
   */
  readonly secretMaterialBytes: { readonly min: number; readonly max: number } | undefined;
  /**
   * Whether encryption binds an encryption context (as AAD of a ciphertext blob). Only then do grant
   * constraints on the context apply to the key; asymmetric encryption refuses a context instead.
   */
  readonly bindsEncryptionContext: boolean;
  /** Whether GenerateDataKey* and GenerateDataKeyPair* encrypt under the key (and grants may allow them). */
  readonly wrapsDataKeys: boolean;
  /**
   * Whether the key material comes in versions: rotation appends one (for origin AWS_KMS) and DescribeKey
   * names the current one (`CurrentKeyMaterialId`).
   */
  readonly rotatable: boolean;
  /**
   * Whether this server creates keys and data key pairs of the spec. SM2 is `false`: AWS offers it only in
   * its China Regions, and Node's OpenSSL can neither sign SM2DSA with AWS's distinguishing ID nor do SM2PKE,
   * so this server answers as every other Region does (see docs/kms-operations.md).
   */
  readonly supportedHere: boolean;
  /**
   * Whether a key of the spec may be created for imported material (`Origin: EXTERNAL`), as AWS's requirements
   * for imported key material list the specs: not ML-DSA ("not supported"), Ed25519 (not listed) or SM2.
   */
  readonly importable: boolean;
}

type Row = Pick<KeySpecCapabilities, 'keyType' | 'usages'> & Partial<KeySpecCapabilities>;

/** A row of the table: whatever the spec does not say is empty, `false` or `undefined`. */
function spec(row: Row): KeySpecCapabilities {
  return Object.freeze({
    keyType: row.keyType,
    usages: row.usages,
    defaultUsage: row.defaultUsage,
    encryptionAlgorithms: row.encryptionAlgorithms ?? [],
    signingAlgorithms: row.signingAlgorithms ?? [],
    macAlgorithms: row.macAlgorithms ?? [],
    keyAgreementAlgorithms: row.keyAgreementAlgorithms ?? [],
    maxPlaintextBytes: Object.freeze({ ...row.maxPlaintextBytes }),
    secretMaterialBytes: row.secretMaterialBytes && Object.freeze({ ...row.secretMaterialBytes }),
    bindsEncryptionContext: row.bindsEncryptionContext ?? false,
    wrapsDataKeys: row.wrapsDataKeys ?? false,
    rotatable: row.rotatable ?? false,
    supportedHere: row.supportedHere ?? true,
    importable: row.importable ?? (row.supportedHere ?? true),
  });
}

const RSA_SIGNING: readonly SigningAlgorithm[] = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
];

/** An RSA spec, with AWS's plaintext limits for RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256. */
const rsa = (sha1Limit: number, sha256Limit: number) => spec({
  keyType: 'asymmetric',
  usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  encryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
  signingAlgorithms: RSA_SIGNING,
  maxPlaintextBytes: { RSAES_OAEP_SHA_1: sha1Limit, RSAES_OAEP_SHA_256: sha256Limit },
});
const nist = (signing: SigningAlgorithm) => spec({
  keyType: 'asymmetric',
  usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  signingAlgorithms: [signing],
  keyAgreementAlgorithms: ['ECDH'],
});
const signingOnly = (...signing: SigningAlgorithm[]) =>
  spec({ keyType: 'asymmetric', usages: ['SIGN_VERIFY'], signingAlgorithms: signing });
/** A spec AWS does not let a key of origin EXTERNAL have. */
const notImportable = (row: KeySpecCapabilities): KeySpecCapabilities => Object.freeze({ ...row, importable: false });
const hmac = (mac: MacAlgorithm, min: number, max: number) =>
  spec({ keyType: 'hmac', usages: ['GENERATE_VERIFY_MAC'], macAlgorithms: [mac], secretMaterialBytes: { min, max } });

export const KEY_SPECS: Readonly<Record<KeySpec, KeySpecCapabilities>> = Object.freeze({
  SYMMETRIC_DEFAULT: spec({
    keyType: 'symmetric',
    usages: ['ENCRYPT_DECRYPT'],
    defaultUsage: 'ENCRYPT_DECRYPT',
    encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    secretMaterialBytes: { min: 32, max: 32 },
    bindsEncryptionContext: true,
    wrapsDataKeys: true,
    rotatable: true,
  }),
  RSA_2048: rsa(214, 190),
  RSA_3072: rsa(342, 318),
  RSA_4096: rsa(470, 446),
  ECC_NIST_P256: nist('ECDSA_SHA_256'),
  ECC_NIST_P384: nist('ECDSA_SHA_384'),
  ECC_NIST_P521: nist('ECDSA_SHA_512'),
  ECC_SECG_P256K1: signingOnly('ECDSA_SHA_256'),
  ECC_NIST_EDWARDS25519: notImportable(signingOnly('ED25519_SHA_512', 'ED25519_PH_SHA_512')),
  HMAC_224: hmac('HMAC_SHA_224', 28, 128),
  HMAC_256: hmac('HMAC_SHA_256', 32, 128),
  HMAC_384: hmac('HMAC_SHA_384', 48, 128),
  HMAC_512: hmac('HMAC_SHA_512', 64, 128),
  SM2: spec({
    keyType: 'asymmetric',
    usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'],
    encryptionAlgorithms: ['SM2PKE'],
    signingAlgorithms: ['SM2DSA'],
    keyAgreementAlgorithms: ['ECDH'],
    maxPlaintextBytes: { SM2PKE: 1024 },
    supportedHere: false,
  }),
  ML_DSA_44: notImportable(signingOnly('ML_DSA_SHAKE_256')),
  ML_DSA_65: notImportable(signingOnly('ML_DSA_SHAKE_256')),
  ML_DSA_87: notImportable(signingOnly('ML_DSA_SHAKE_256')),
});

/** The algorithms a key of this spec offers for the given usage (what DescribeKey reports). */
export function algorithmsFor(keySpec: KeySpec, usage: KeyUsage): {
  encryptionAlgorithms: readonly EncryptionAlgorithm[];
  signingAlgorithms: readonly SigningAlgorithm[];
  macAlgorithms: readonly MacAlgorithm[];
  keyAgreementAlgorithms: readonly KeyAgreementAlgorithm[];
} {
  const caps = KEY_SPECS[keySpec];
  return {
    encryptionAlgorithms: usage === 'ENCRYPT_DECRYPT' ? caps.encryptionAlgorithms : [],
    signingAlgorithms: usage === 'SIGN_VERIFY' ? caps.signingAlgorithms : [],
    macAlgorithms: usage === 'GENERATE_VERIFY_MAC' ? caps.macAlgorithms : [],
    keyAgreementAlgorithms: usage === 'KEY_AGREEMENT' ? caps.keyAgreementAlgorithms : [],
  };
}

/**
 * Whether keys of the spec offer `algorithm` in `family`.
 * @example offersAlgorithm('ECC_NIST_P256', 'signingAlgorithms', 'ECDSA_SHA_384'); // false
 */
export function offersAlgorithm<F extends AlgorithmFamily>(
  keySpec: KeySpec,
  family: F,
  algorithm: KeySpecCapabilities[F][number],
): boolean {
  const offered: readonly string[] = KEY_SPECS[keySpec][family];
  return offered.includes(algorithm);
}

/** Whether the spec is the symmetric encryption key's (key type `symmetric`). */
export function isSymmetric(keySpec: KeySpec): boolean {
  return KEY_SPECS[keySpec].keyType === 'symmetric';
}

/** Whether the spec is an HMAC key's; narrows it for the HMAC primitives. */
export function isHmacKeySpec(keySpec: KeySpec): keySpec is HmacKeySpec {
  return KEY_SPECS[keySpec].keyType === 'hmac';
}
