/**
 * The allow-list of what the audit trail records of each KMS operation's request and response, as AWS KMS
 * logs it in CloudTrail (AWS KMS Developer Guide, "Examples of AWS KMS log entries"). Members are named as on
 * the wire (`KeyId`); the trail names them in camelCase (`keyId`), as CloudTrail does.
 *
 * Anything not listed is dropped. Never listed: plaintext, ciphertext, key material, import tokens, messages,
 * signatures, MACs, public keys (blobs), grant tokens, custom key store passwords and proxy credentials.
 * AWS logs no response of a cryptographic operation and none of GetKeyPolicy.
 */

/**
 * How one allowed member is recorded:
 * - `value`: a string, number or boolean, or a list of them (anything else is dropped);
 * - `map`: a string-to-string map copied with its keys as given (an encryption context);
 * - `date`: a timestamp, written as AWS writes dates inside request and response elements;
 * - `tags`: a list of `{TagKey, TagValue}`, each copied, except that the value of a tag that carries key
 *   material by LocalStack's convention (`_custom_key_material_`, honoured in development mode) is hidden;
 * - a nested rule: a structure (or each structure of a list) filtered by its own allow-list.
 */
export type FieldRule = 'value' | 'map' | 'date' | 'tags' | StructureRule;
export interface StructureRule {
  readonly [member: string]: FieldRule;
}

/** The request and response allow-lists of one operation. */
export interface OperationRule {
  readonly request: StructureRule;
  /** Absent: `responseElements` is null (reads and cryptographic operations). */
  readonly response?: StructureRule;
  /** AWS adds the affected key's ARN to `responseElements.keyId` of these management operations. */
  readonly addsKeyArn?: true;
}

const KEY: StructureRule = { KeyId: 'value' };
const PAGE: StructureRule = { Limit: 'value', Marker: 'value' };
const TAGS: StructureRule = { Tags: 'tags' };
const CRYPTO: StructureRule = { KeyId: 'value', EncryptionContext: 'map', DryRun: 'value' };
const KEY_STORE_SETTINGS: StructureRule = {
  CloudHsmClusterId: 'value',
  XksProxyUriEndpoint: 'value',
  XksProxyUriPath: 'value',
  XksProxyVpcEndpointServiceName: 'value',
  XksProxyConnectivity: 'value',
};
const REGIONAL_KEY: StructureRule = { Arn: 'value', Region: 'value' };
const KEY_METADATA: StructureRule = {
  AWSAccountId: 'value', KeyId: 'value', Arn: 'value', CreationDate: 'date', Enabled: 'value',
  Description: 'value', KeyUsage: 'value', KeyState: 'value', DeletionDate: 'date', ValidTo: 'date',
  Origin: 'value', CustomKeyStoreId: 'value', CloudHsmClusterId: 'value', ExpirationModel: 'value',
  KeyManager: 'value', CustomerMasterKeySpec: 'value', KeySpec: 'value', EncryptionAlgorithms: 'value',
  SigningAlgorithms: 'value', KeyAgreementAlgorithms: 'value', MultiRegion: 'value',
  MultiRegionConfiguration: { MultiRegionKeyType: 'value', PrimaryKey: REGIONAL_KEY, ReplicaKeys: REGIONAL_KEY },
  PendingDeletionWindowInDays: 'value', MacAlgorithms: 'value', XksKeyConfiguration: { Id: 'value' },
  CurrentKeyMaterialId: 'value',
};

/** An operation whose record keeps only request parameters (reads and cryptographic operations). */
const read = (request: StructureRule): OperationRule => ({ request });
/** An operation whose record may keep response elements too. */
const write = (request: StructureRule, response?: StructureRule): OperationRule =>
  response === undefined ? { request } : { request, response };
const keyWrite = (request: StructureRule, response?: StructureRule): OperationRule => ({
  ...write(request, response),
  addsKeyArn: true,
});

/**
 * Every operation of the KMS API model, with what its audit record keeps (test/audit/redaction.test.ts checks
 * the names against the model). Whether an operation is read-only is not the audit's to say: the operation's
 * declaration says it, and the record takes it from the request's outcome.
 */
export const OPERATION_RULES: Readonly<Record<string, OperationRule>> = {
  CancelKeyDeletion: keyWrite(KEY, KEY),
  ConnectCustomKeyStore: write({ CustomKeyStoreId: 'value' }),
  CreateAlias: keyWrite({ AliasName: 'value', TargetKeyId: 'value' }),
  CreateCustomKeyStore: write(
    { CustomKeyStoreName: 'value', CustomKeyStoreType: 'value', ...KEY_STORE_SETTINGS },
    { CustomKeyStoreId: 'value' },
  ),
  CreateGrant: keyWrite(
    {
      KeyId: 'value', GranteePrincipal: 'value', RetiringPrincipal: 'value', Operations: 'value',
      Constraints: { EncryptionContextSubset: 'map', EncryptionContextEquals: 'map' }, Name: 'value',
      DryRun: 'value',
    },
    { GrantId: 'value' },
  ),
  CreateKey: write(
    {
      Policy: 'value', Description: 'value', KeyUsage: 'value', CustomerMasterKeySpec: 'value',
      KeySpec: 'value', Origin: 'value', CustomKeyStoreId: 'value', BypassPolicyLockoutSafetyCheck: 'value',
      ...TAGS, MultiRegion: 'value', XksKeyId: 'value',
    },
    { KeyMetadata: KEY_METADATA },
  ),
  Decrypt: read({ ...CRYPTO, EncryptionAlgorithm: 'value' }),
  DeleteAlias: keyWrite({ AliasName: 'value' }),
  DeleteCustomKeyStore: write({ CustomKeyStoreId: 'value' }),
  DeleteImportedKeyMaterial: keyWrite({ ...KEY, KeyMaterialId: 'value' }, { KeyId: 'value', KeyMaterialId: 'value' }),
  DeriveSharedSecret: read({ KeyId: 'value', KeyAgreementAlgorithm: 'value', DryRun: 'value' }),
  DescribeCustomKeyStores: read({ CustomKeyStoreId: 'value', CustomKeyStoreName: 'value', ...PAGE }),
  DescribeKey: read(KEY),
  DisableKey: keyWrite(KEY),
  DisableKeyRotation: keyWrite(KEY),
  DisconnectCustomKeyStore: write({ CustomKeyStoreId: 'value' }),
  EnableKey: keyWrite(KEY),
  EnableKeyRotation: keyWrite({ ...KEY, RotationPeriodInDays: 'value' }),
  Encrypt: read({ ...CRYPTO, EncryptionAlgorithm: 'value' }),
  GenerateDataKey: read({ ...CRYPTO, NumberOfBytes: 'value', KeySpec: 'value' }),
  GenerateDataKeyPair: read({ ...CRYPTO, KeyPairSpec: 'value' }),
  GenerateDataKeyPairWithoutPlaintext: read({ ...CRYPTO, KeyPairSpec: 'value' }),
  GenerateDataKeyWithoutPlaintext: read({ ...CRYPTO, NumberOfBytes: 'value', KeySpec: 'value' }),
  GenerateMac: read({ KeyId: 'value', MacAlgorithm: 'value', DryRun: 'value' }),
  GenerateRandom: read({ NumberOfBytes: 'value', CustomKeyStoreId: 'value' }),
  GetKeyLastUsage: read(KEY),
  GetKeyPolicy: read({ ...KEY, PolicyName: 'value' }),
  GetKeyRotationStatus: read(KEY),
  GetParametersForImport: read({ ...KEY, WrappingAlgorithm: 'value', WrappingKeySpec: 'value' }),
  GetPublicKey: read(KEY),
  ImportKeyMaterial: keyWrite({
    ...KEY, ValidTo: 'date', ExpirationModel: 'value', ImportType: 'value', KeyMaterialDescription: 'value',
    KeyMaterialId: 'value',
  }),
  ListAliases: read({ ...KEY, ...PAGE }),
  ListGrants: read({ ...KEY, ...PAGE, GrantId: 'value', GranteePrincipal: 'value' }),
  ListKeyPolicies: read({ ...KEY, ...PAGE }),
  ListKeyRotations: read({ ...KEY, ...PAGE, IncludeKeyMaterial: 'value' }),
  ListKeys: read(PAGE),
  ListResourceTags: read({ ...KEY, ...PAGE }),
  ListRetirableGrants: read({ ...PAGE, RetiringPrincipal: 'value' }),
  PutKeyPolicy: keyWrite({ ...KEY, PolicyName: 'value', Policy: 'value', BypassPolicyLockoutSafetyCheck: 'value' }),
  ReEncrypt: read({
    SourceKeyId: 'value', SourceEncryptionContext: 'map', SourceEncryptionAlgorithm: 'value',
    DestinationKeyId: 'value', DestinationEncryptionContext: 'map', DestinationEncryptionAlgorithm: 'value',
    DryRun: 'value',
  }),
  ReplicateKey: keyWrite(
    { ...KEY, ReplicaRegion: 'value', Policy: 'value', BypassPolicyLockoutSafetyCheck: 'value', Description: 'value', ...TAGS },
    { ReplicaKeyMetadata: KEY_METADATA },
  ),
  RetireGrant: keyWrite({ ...KEY, GrantId: 'value', DryRun: 'value' }),
  RevokeGrant: keyWrite({ ...KEY, GrantId: 'value', DryRun: 'value' }),
  RotateKeyOnDemand: keyWrite(KEY, KEY),
  ScheduleKeyDeletion: keyWrite(
    { ...KEY, PendingWindowInDays: 'value' },
    { KeyId: 'value', DeletionDate: 'date', KeyState: 'value', PendingWindowInDays: 'value' },
  ),
  Sign: read({ KeyId: 'value', MessageType: 'value', SigningAlgorithm: 'value', DryRun: 'value' }),
  TagResource: keyWrite({ ...KEY, ...TAGS }),
  UntagResource: keyWrite({ ...KEY, TagKeys: 'value' }),
  UpdateAlias: keyWrite({ AliasName: 'value', TargetKeyId: 'value' }),
  UpdateCustomKeyStore: write({ CustomKeyStoreId: 'value', NewCustomKeyStoreName: 'value', ...KEY_STORE_SETTINGS }),
  UpdateKeyDescription: keyWrite({ ...KEY, Description: 'value' }),
  UpdatePrimaryRegion: keyWrite({ ...KEY, PrimaryRegion: 'value' }),
  Verify: read({ KeyId: 'value', MessageType: 'value', SigningAlgorithm: 'value', DryRun: 'value' }),
  VerifyMac: read({ KeyId: 'value', MacAlgorithm: 'value', DryRun: 'value' }),
};

const XKS_REQUEST_METADATA: StructureRule = {
  requestMetadata: {
    awsPrincipalArn: 'value', awsSourceVpc: 'value', awsSourceVpce: 'value', kmsKeyArn: 'value', kmsOperation: 'value',
    kmsRequestId: 'value', kmsViaService: 'value',
  },
};

/**
 * The calls of the XKS proxy API this server serves (`serve --xks-proxy`, src/xks/, docs/xks-proxy.md#audit), by the
 * event names their records carry. Members are named as on that API's wire (camelCase already); the proxy passes the
 * key its URI names as `KeyId`. Never listed: plaintext, ciphertext, AAD, IV, tag, ciphertext metadata, CDIV.
 */
export const XKS_PROXY_OPERATION_RULES: Readonly<Record<string, OperationRule>> = {
  XksGetHealthStatus: read(XKS_REQUEST_METADATA),
  XksGetKeyMetadata: read({ ...KEY, ...XKS_REQUEST_METADATA }),
  XksEncrypt: read({ ...KEY, ...XKS_REQUEST_METADATA, encryptionAlgorithm: 'value', ciphertextDataIntegrityValueAlgorithm: 'value' }),
  XksDecrypt: read({ ...KEY, ...XKS_REQUEST_METADATA, encryptionAlgorithm: 'value' }),
  XksUnknownCall: read({}),
};

/** The rule of `operation` (a KMS operation, or a call of the XKS proxy API), or undefined for any other name. */
export function operationRule(operation: string): OperationRule | undefined {
  if (Object.hasOwn(OPERATION_RULES, operation)) return OPERATION_RULES[operation];
  return Object.hasOwn(XKS_PROXY_OPERATION_RULES, operation) ? XKS_PROXY_OPERATION_RULES[operation] : undefined;
}

/** The operations GetKeyLastUsage tracks (the model's `KeyLastUsageTrackingOperation`). */
export const TRACKED_CRYPTOGRAPHIC_OPERATIONS = [
  'Decrypt', 'DeriveSharedSecret', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'ReEncrypt', 'Sign',
  'Verify', 'VerifyMac',
] as const;

export type TrackedCryptographicOperation = (typeof TRACKED_CRYPTOGRAPHIC_OPERATIONS)[number];
