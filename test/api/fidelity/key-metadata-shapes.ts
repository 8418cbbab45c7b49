import { ANY_DATE, ANY_STRING, type CaseContext, type Shape } from './recorded-case.js';

/**
 * The `KeyMetadata` members AWS returned for the kinds of key the recordings create. AWS chooses the id, the
 * ARN, the date and the material id, so those are compared by kind; the account is ours.
 */
function identity(keyName: string): Shape {
  return {
    AWSAccountId: (context: CaseContext) => context.accountId,
    Arn: (context: CaseContext) => context.key(keyName).Arn,
    KeyId: (context: CaseContext) => context.key(keyName).KeyId,
    CreationDate: ANY_DATE,
  };
}

/** A customer managed symmetric encryption key, enabled (`test_create_key/describe-key`). */
export function symmetricKeyMetadata(keyName: string, description: string): Shape {
  return {
    ...identity(keyName),
    CurrentKeyMaterialId: ANY_STRING,
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    Description: description,
    Enabled: true,
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    KeyManager: 'CUSTOMER',
    KeySpec: 'SYMMETRIC_DEFAULT',
    KeyState: 'Enabled',
    KeyUsage: 'ENCRYPT_DECRYPT',
    MultiRegion: false,
    Origin: 'AWS_KMS',
  };
}

/** An HMAC key: no material id, its one MAC algorithm (`test_hmac_create_key/describe-key`). */
export function hmacKeyMetadata(keyName: string, description: string, spec: string, algorithm: string): Shape {
  return {
    ...identity(keyName),
    CustomerMasterKeySpec: spec,
    Description: description,
    Enabled: true,
    KeyManager: 'CUSTOMER',
    KeySpec: spec,
    KeyState: 'Enabled',
    KeyUsage: 'GENERATE_VERIFY_MAC',
    MacAlgorithms: [algorithm],
    MultiRegion: false,
    Origin: 'AWS_KMS',
  };
}
