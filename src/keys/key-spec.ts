/**
 * Key specs as a capability table: which usages each spec allows and which algorithms each usage offers.
 * Every check of "may this key do that" reads this table; nothing else switches on the spec.
 */
// The AWS names of specs and algorithms are declared once, in the crypto layer that implements them
// (keys → crypto, never the other way); the domain re-exports them.
import type { EncryptionAlgorithm, KeySpec, MacAlgorithm, SigningAlgorithm } from '../crypto/asymmetric/aws-names.js';

export type { EncryptionAlgorithm, KeySpec, MacAlgorithm, SigningAlgorithm };

export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';
export type KeyAgreementAlgorithm = 'ECDH';

export interface KeySpecCapabilities {
  readonly usages: readonly KeyUsage[];
  readonly encryptionAlgorithms: readonly EncryptionAlgorithm[];
  readonly signingAlgorithms: readonly SigningAlgorithm[];
  readonly macAlgorithms: readonly MacAlgorithm[];
  readonly keyAgreementAlgorithms: readonly KeyAgreementAlgorithm[];
}

const RSA_SIGNING: readonly SigningAlgorithm[] = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
];
const RSA_ENCRYPTION: readonly EncryptionAlgorithm[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];

function spec(
  usages: readonly KeyUsage[],
  algorithms: Partial<Omit<KeySpecCapabilities, 'usages'>> = {},
): KeySpecCapabilities {
  return Object.freeze({
    usages,
    encryptionAlgorithms: algorithms.encryptionAlgorithms ?? [],
    signingAlgorithms: algorithms.signingAlgorithms ?? [],
    macAlgorithms: algorithms.macAlgorithms ?? [],
    keyAgreementAlgorithms: algorithms.keyAgreementAlgorithms ?? [],
  });
}

const rsa = spec(['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], {
  encryptionAlgorithms: RSA_ENCRYPTION,
  signingAlgorithms: RSA_SIGNING,
});
const nist = (signing: SigningAlgorithm) =>
  spec(['SIGN_VERIFY', 'KEY_AGREEMENT'], { signingAlgorithms: [signing], keyAgreementAlgorithms: ['ECDH'] });
const hmac = (mac: MacAlgorithm) => spec(['GENERATE_VERIFY_MAC'], { macAlgorithms: [mac] });

export const KEY_SPECS: Readonly<Record<KeySpec, KeySpecCapabilities>> = Object.freeze({
  SYMMETRIC_DEFAULT: spec(['ENCRYPT_DECRYPT'], { encryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }),
  RSA_2048: rsa,
  RSA_3072: rsa,
  RSA_4096: rsa,
  ECC_NIST_P256: nist('ECDSA_SHA_256'),
  ECC_NIST_P384: nist('ECDSA_SHA_384'),
  ECC_NIST_P521: nist('ECDSA_SHA_512'),
  ECC_SECG_P256K1: spec(['SIGN_VERIFY'], { signingAlgorithms: ['ECDSA_SHA_256'] }),
  ECC_NIST_EDWARDS25519: spec(['SIGN_VERIFY'], { signingAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] }),
  HMAC_224: hmac('HMAC_SHA_224'),
  HMAC_256: hmac('HMAC_SHA_256'),
  HMAC_384: hmac('HMAC_SHA_384'),
  HMAC_512: hmac('HMAC_SHA_512'),
  SM2: spec(['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'], {
    encryptionAlgorithms: ['SM2PKE'],
    signingAlgorithms: ['SM2DSA'],
    keyAgreementAlgorithms: ['ECDH'],
  }),
  ML_DSA_44: spec(['SIGN_VERIFY'], { signingAlgorithms: ['ML_DSA_SHAKE_256'] }),
  ML_DSA_65: spec(['SIGN_VERIFY'], { signingAlgorithms: ['ML_DSA_SHAKE_256'] }),
  ML_DSA_87: spec(['SIGN_VERIFY'], { signingAlgorithms: ['ML_DSA_SHAKE_256'] }),
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

export function isSymmetric(keySpec: KeySpec): boolean {
  return keySpec === 'SYMMETRIC_DEFAULT';
}
