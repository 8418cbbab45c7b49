/**
 * The IAM actions of KMS that Strongroom authorizes (`kms:<Operation>`; ReEncrypt is authorized as ReEncryptFrom on
 * the source key and ReEncryptTo on the destination). Offered as suggestions only: any action can be typed.
 */
export const KMS_ACTIONS: readonly string[] = [
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateMac', 'kms:VerifyMac', 'kms:Sign', 'kms:Verify', 'kms:DeriveSharedSecret', 'kms:GetPublicKey',
  'kms:GenerateRandom', 'kms:DescribeKey', 'kms:CreateKey', 'kms:ListKeys', 'kms:ListAliases', 'kms:CreateAlias',
  'kms:UpdateAlias', 'kms:DeleteAlias', 'kms:EnableKey', 'kms:DisableKey', 'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy', 'kms:ListKeyPolicies', 'kms:GetKeyRotationStatus',
  'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:RotateKeyOnDemand', 'kms:ListKeyRotations',
  'kms:UpdateKeyDescription', 'kms:CreateGrant', 'kms:ListGrants', 'kms:ListRetirableGrants', 'kms:RetireGrant',
  'kms:RevokeGrant', 'kms:TagResource', 'kms:UntagResource', 'kms:ListResourceTags', 'kms:GetParametersForImport',
  'kms:ImportKeyMaterial', 'kms:DeleteImportedKeyMaterial', 'kms:ReplicateKey', 'kms:UpdatePrimaryRegion',
  'kms:GetKeyLastUsage', 'kms:CreateCustomKeyStore', 'kms:DescribeCustomKeyStores', 'kms:UpdateCustomKeyStore',
  'kms:DeleteCustomKeyStore', 'kms:ConnectCustomKeyStore', 'kms:DisconnectCustomKeyStore',
];

/**
 * The `eventName`s of the audit trail: one per KMS operation (ReEncrypt once, not its two actions) and the
 * background work the server records as `AwsServiceEvent`s.
 */
export const KMS_EVENT_NAMES: readonly string[] = [
  ...new Set(KMS_ACTIONS.map((action) => action.slice('kms:'.length).replace(/^ReEncrypt(From|To)$/, 'ReEncrypt'))),
  'RotateKey', 'DeleteKey', 'DeleteExpiredKeyMaterial',
];
