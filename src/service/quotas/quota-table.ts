/**
 * AWS KMS's request quotas per account and region, as data, and which quota a request counts against.
 *
 * Source: the table "Request quotas for each AWS KMS API operation" of the AWS KMS Developer Guide,
 * https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html (the version with ML-DSA keys,
 * DescribeKey 2,000/s and RSA_2048 data key pairs 20/s). Quota names are AWS's verbatim: they are Service Quotas'
 * names, and what a quota file (`--quotas FILE`) names. Rates are requests per second.
 *
 * Left out: the custom key store quotas (1,800/s per key store; Strongroom has no custom key stores) and AWS's
 * "hot key" throttling of repeated state changes to one key (not a published number).
 */
import type { KeySpec } from '../../keys/key-spec.js';

export interface QuotaDefinition {
  /** AWS's quota name, e.g. `CreateKey request rate`. */
  readonly name: string;
  /** Requests per second in every region not listed in `perSecondInRegions`. */
  readonly perSecond: number;
  /** Regions where AWS's default differs. */
  readonly perSecondInRegions?: Readonly<Record<string, number>>;
}

const SYMMETRIC = 'Cryptographic operations (symmetric) request rate';
const RSA = 'Cryptographic operations (RSA) request rate';
const ML_DSA = 'Cryptographic operations (ML-DSA) request rate';
const ECC_AND_SM2 = 'Cryptographic operations (ECC and SM2) request rate';

const regions = (perSecond: number, names: readonly string[]) => Object.fromEntries(names.map((name) => [name, perSecond]));
const CHINA = ['cn-north-1', 'cn-northwest-1'];

/** Operations whose quota is one of AWS's management quotas: `<Operation> request rate`, and their default. */
const MANAGEMENT: Readonly<Record<string, number>> = {
  CancelKeyDeletion: 5, ConnectCustomKeyStore: 5, CreateAlias: 5, CreateCustomKeyStore: 5, CreateGrant: 50,
  CreateKey: 5, DeleteAlias: 15, DeleteCustomKeyStore: 5, DeleteImportedKeyMaterial: 15, DescribeCustomKeyStores: 5,
  DescribeKey: 2000, DisableKey: 5, DisableKeyRotation: 5, DisconnectCustomKeyStore: 5, EnableKey: 5,
  EnableKeyRotation: 15, GetKeyLastUsage: 5, GetKeyPolicy: 1000, GetKeyRotationStatus: 1000, GetParametersForImport: 1,
  GetPublicKey: 2000, ImportKeyMaterial: 15, ListAliases: 500, ListGrants: 100, ListKeyPolicies: 100, ListKeys: 500,
  ListKeyRotations: 100, ListResourceTags: 2000, ListRetirableGrants: 100, PutKeyPolicy: 15, ReplicateKey: 5,
  RetireGrant: 50, RevokeGrant: 50, RotateKeyOnDemand: 5, ScheduleKeyDeletion: 15, TagResource: 10, UntagResource: 5,
  UpdateAlias: 5, UpdateCustomKeyStore: 5, UpdateKeyDescription: 5, UpdatePrimaryRegion: 5,
};

/** GenerateDataKeyPair[WithoutPlaintext]: one quota per DataKeyPairSpec, shared by both operations. */
const DATA_KEY_PAIR_QUOTAS = {
  ECC_NIST_P256: { name: 'GenerateDataKeyPair (ECC_NIST_P256) request rate', perSecond: 100 },
  ECC_NIST_P384: { name: 'GenerateDataKeyPair (ECC_NIST_P384) request rate', perSecond: 100 },
  ECC_NIST_P521: { name: 'GenerateDataKeyPair (ECC_NIST_P521) request rate', perSecond: 100 },
  ECC_SECG_P256K1: { name: 'GenerateDataKeyPair (ECC_SECG_P256K1) request rate', perSecond: 100 },
  ECC_NIST_EDWARDS25519: { name: 'GenerateDataKeyPair (ECC_NIST_EDWARDS25519) request rate', perSecond: 100 },
  RSA_2048: { name: 'GenerateDataKeyPair (RSA_2048) request rate', perSecond: 20, perSecondInRegions: regions(1, CHINA) },
  RSA_3072: { name: 'GenerateDataKeyPair (RSA_3072) request rate', perSecond: 4, perSecondInRegions: regions(0.5, CHINA) },
  RSA_4096: { name: 'GenerateDataKeyPair (RSA_4096) request rate', perSecond: 1, perSecondInRegions: regions(0.1, CHINA) },
  SM2: { name: 'GenerateDataKeyPair (SM2 — China Regions only) request rate', perSecond: 25 },
} satisfies Record<string, QuotaDefinition>;

/** Every quota of AWS's table that Strongroom applies, with AWS's defaults. */
export const AWS_REQUEST_QUOTAS: readonly QuotaDefinition[] = Object.freeze([
  {
    name: SYMMETRIC,
    perSecond: 10_000,
    perSecondInRegions: {
      ...regions(20_000, ['us-east-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'eu-central-1', 'eu-west-2']),
      ...regions(100_000, ['us-east-1', 'us-west-2', 'eu-west-1']),
    },
  },
  { name: RSA, perSecond: 1000 },
  { name: ML_DSA, perSecond: 1000 },
  { name: ECC_AND_SM2, perSecond: 1000 },
  ...Object.values(DATA_KEY_PAIR_QUOTAS),
  ...Object.entries(MANAGEMENT).map(([operation, perSecond]) => ({ name: `${operation} request rate`, perSecond })),
]);

/**
 * The shared cryptographic quota a KMS key's spec counts against. HMAC keys are symmetric keys to AWS; Ed25519
 * keys are elliptic-curve keys. A `Record` over every spec, so a new spec cannot be forgotten.
 */
const CRYPTOGRAPHIC_QUOTA_BY_KEY_SPEC: Readonly<Record<KeySpec, string>> = {
  SYMMETRIC_DEFAULT: SYMMETRIC, HMAC_224: SYMMETRIC, HMAC_256: SYMMETRIC, HMAC_384: SYMMETRIC, HMAC_512: SYMMETRIC,
  RSA_2048: RSA, RSA_3072: RSA, RSA_4096: RSA,
  ECC_NIST_P256: ECC_AND_SM2, ECC_NIST_P384: ECC_AND_SM2, ECC_NIST_P521: ECC_AND_SM2, ECC_SECG_P256K1: ECC_AND_SM2,
  ECC_NIST_EDWARDS25519: ECC_AND_SM2, SM2: ECC_AND_SM2,
  ML_DSA_44: ML_DSA, ML_DSA_65: ML_DSA, ML_DSA_87: ML_DSA,
};

/** The cryptographic operations: they share one quota per kind of key (GenerateRandom, with no key: symmetric). */
const CRYPTOGRAPHIC_OPERATIONS: ReadonlySet<string> = new Set([
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GenerateRandom',
  'ReEncrypt', 'VerifyMac', 'Sign', 'Verify', 'DeriveSharedSecret',
]);

const DATA_KEY_PAIR_OPERATIONS: ReadonlySet<string> = new Set(['GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext']);

// Maps, not objects, for names that come from requests: `constructor` must find nothing.
const DATA_KEY_PAIR_QUOTA_BY_SPEC: ReadonlyMap<string, string> = new Map(
  Object.entries(DATA_KEY_PAIR_QUOTAS).map(([spec, quota]) => [spec, quota.name]),
);
const MANAGEMENT_QUOTA_BY_OPERATION: ReadonlyMap<string, string> = new Map(
  Object.keys(MANAGEMENT).map((operation) => [operation, `${operation} request rate`]),
);

/**
 * The name of the quota one request counts against, or undefined when AWS's table has none for it.
 * `keySpec` is the spec of the KMS key the request uses (ReEncrypt: its source key); `keyPairSpec` is
 * GenerateDataKeyPair's requested `KeyPairSpec`, whose quota replaces the cryptographic one (as at AWS).
 *
 * @example
 *   quotaNameOf('Sign', 'RSA_2048')                                 // 'Cryptographic operations (RSA) request rate'
 *   quotaNameOf('GenerateDataKeyPair', 'SYMMETRIC_DEFAULT', 'RSA_4096') // 'GenerateDataKeyPair (RSA_4096) request rate'
 */
export function quotaNameOf(operation: string, keySpec?: KeySpec, keyPairSpec?: string): string | undefined {
  if (CRYPTOGRAPHIC_OPERATIONS.has(operation)) return keySpec ? CRYPTOGRAPHIC_QUOTA_BY_KEY_SPEC[keySpec] : SYMMETRIC;
  if (DATA_KEY_PAIR_OPERATIONS.has(operation)) return keyPairSpec === undefined ? undefined : DATA_KEY_PAIR_QUOTA_BY_SPEC.get(keyPairSpec);
  return MANAGEMENT_QUOTA_BY_OPERATION.get(operation);
}

/** The rates in force: AWS's table, with single quotas overridden (by a quota file). */
export interface QuotaTable {
  /** Requests per second of the named quota in `region`; undefined for a name that is not a quota. */
  perSecond(quotaName: string, region: string): number | undefined;
}

const DEFINITIONS_BY_NAME: ReadonlyMap<string, QuotaDefinition> = new Map(AWS_REQUEST_QUOTAS.map((quota) => [quota.name, quota]));

/** Whether `name` is one of AWS's quota names (exactly as the table spells it). */
export function isQuotaName(name: string): boolean {
  return DEFINITIONS_BY_NAME.has(name);
}

/** AWS's table; an override sets its quota to one rate in every region. */
export function quotaTable(overrides: ReadonlyMap<string, number> = new Map()): QuotaTable {
  return {
    perSecond(quotaName, region) {
      const override = overrides.get(quotaName);
      if (override !== undefined) return override;
      const definition = DEFINITIONS_BY_NAME.get(quotaName);
      if (!definition) return undefined;
      const regional = definition.perSecondInRegions;
      // The region comes from the request's credential scope: only the table's own entries count.
      return regional && Object.hasOwn(regional, region) ? regional[region] : definition.perSecond;
    },
  };
}
