import { IMPORT_AND_MULTI_REGION_CASES } from './import-and-multi-region-answers.js';
import { hmacKeyMetadata, symmetricKeyMetadata } from './key-metadata-shapes.js';
import {
  ANY_BLOB,
  ANY_STRING,
  blobOf,
  enumViolation,
  Like,
  UNVERIFIED_MESSAGE,
  type CaseContext,
  type KeySetup,
  type RecordedCase,
} from './recorded-case.js';

/**
 * The answers real AWS KMS gave, as recorded by LocalStack's AWS-validated tests (see recorded-case.ts), turned
 * into requests against our server. Only the facts are taken: each request and the answer AWS gave to it.
 *
 * Conventions of the recordings that the requests reproduce: boto3 sends a `str` message as its UTF-8 bytes,
 * and the tests pass `base64.b64encode(message)` as plaintext, so the plaintext is the base64 text itself.
 */

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
/** The plaintext boto3 sends for `Plaintext=base64.b64encode(message)`. */
const base64Text = (value: string): Uint8Array => text(Buffer.from(value).toString('base64'));
const MESSAGE = 'test message 123 !%$@ 1234567890';
const SECONDARY_REGION = 'us-west-2';

const key = (input: KeySetup['input'], region?: string): KeySetup => (region ? { input, region } : { input });
const SYMMETRIC = key({ Description: 'test key 123', KeyUsage: 'ENCRYPT_DECRYPT' });
const keyOf = (spec: string, usage: string): KeySetup => key({ KeySpec: spec, KeyUsage: usage });
const keyArn = (name: string) => (context: CaseContext) => context.key(name).Arn;

// --- GenerateRandom -----------------------------------------------------------------------------------------

const generateRandom: RecordedCase[] = [
  {
    recorded: 'test_generate_random_invalid_number_of_bytes[None]/generate-random-exc',
    call: { operation: 'GenerateRandom', input: {} },
    expect: { error: 'ValidationException', message: 'NumberOfBytes is required.' },
    note: 'The model makes NumberOfBytes optional; AWS requires it, and the recorded answer wins.',
  },
  {
    recorded: 'test_generate_random_invalid_number_of_bytes[0]/generate-random-exc',
    call: { operation: 'GenerateRandom', input: { NumberOfBytes: 0 } },
    expect: {
      error: 'ValidationException',
      message:
        "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: " +
        'Member must have value greater than or equal to 1',
    },
  },
  {
    recorded: 'test_generate_random_invalid_number_of_bytes[1025]/generate-random-exc',
    call: { operation: 'GenerateRandom', input: { NumberOfBytes: 1025 } },
    expect: {
      error: 'ValidationException',
      message:
        "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: " +
        'Member must have value less than or equal to 1024',
    },
  },
  ...[12, 44, 91, 1, 1024].map(
    (bytes): RecordedCase => ({
      recorded: `test_generate_random[${bytes}]/result_length`,
      call: { operation: 'GenerateRandom', input: { NumberOfBytes: bytes } },
      expect: { shape: { Plaintext: blobOf(bytes) }, partial: true },
    }),
  ),
];

// --- Encrypt: the RSA plaintext limit, the request size limit ------------------------------------------------

const RSA_LIMITS: ReadonlyArray<readonly [spec: string, algorithm: string, maximum: number]> = [
  ['RSA_2048', 'RSAES_OAEP_SHA_1', 214],
  ['RSA_2048', 'RSAES_OAEP_SHA_256', 190],
  ['RSA_3072', 'RSAES_OAEP_SHA_1', 342],
  ['RSA_3072', 'RSAES_OAEP_SHA_256', 318],
  ['RSA_4096', 'RSAES_OAEP_SHA_1', 470],
  ['RSA_4096', 'RSAES_OAEP_SHA_256', 446],
];

const encryptLimits: RecordedCase[] = [
  ...RSA_LIMITS.map(
    ([spec, algorithm, maximum]): RecordedCase => ({
      recorded: `test_encrypt_validate_plaintext_size_per_key_type[${spec}-${algorithm}]/generate-random-exc`,
      keys: { rsa: keyOf(spec, 'ENCRYPT_DECRYPT') },
      call: {
        operation: 'Encrypt',
        input: (context) => ({
          KeyId: context.key('rsa').KeyId,
          Plaintext: base64Text('more than 500 bytes and less than 4096 bytes'.repeat(20)),
          EncryptionAlgorithm: algorithm,
        }),
      },
      expect: {
        error: 'ValidationException',
        message: `Algorithm ${algorithm} and key spec ${spec} cannot encrypt data larger than ${maximum} bytes.`,
      },
    }),
  ),
  {
    recorded: 'test_plaintext_size_for_encrypt/invalid-plaintext-size-encrypt',
    keys: { symmetric: SYMMETRIC },
    call: {
      operation: 'Encrypt',
      input: (context) => ({ KeyId: context.key('symmetric').KeyId, Plaintext: base64Text(MESSAGE.repeat(100)) }),
    },
    expect: {
      error: 'ValidationException',
      message:
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: " +
        'Member must have length less than or equal to 4096',
    },
  },
];

// --- DescribeKey: not found, invalid ids, other regions ------------------------------------------------------

const FAKE_UUID = '134f2428-cec1-4b25-a1ae-9048164dba47';
const FAKE_MRK = 'mrk-d3b95762d3b95762d3b95762d3b95762';

const describeKey: RecordedCase[] = [
  {
    recorded: 'test_create_key/describe-key',
    keys: { symmetric: SYMMETRIC },
    call: { operation: 'DescribeKey', input: (context) => ({ KeyId: context.key('symmetric').KeyId }) },
    expect: { shape: { KeyMetadata: symmetricKeyMetadata('symmetric', 'test key 123') } },
  },
  {
    recorded: 'test_get_key_in_different_region/describe-key-diff-region-with-id',
    keys: { remote: key({ Description: 'test key 123' }, SECONDARY_REGION) },
    call: { operation: 'DescribeKey', input: (context) => ({ KeyId: context.key('remote').KeyId }) },
    expect: {
      error: 'NotFoundException',
      message: (context) => `Key '${context.arnOf(context.key('remote').KeyId)}' does not exist`,
    },
    note: "The ARN in the message is in the caller's region, where the key id names nothing.",
  },
  {
    recorded: 'test_get_key_in_different_region/describe-key-diff-region-with-arn',
    keys: { remote: key({ Description: 'test key 123' }, SECONDARY_REGION) },
    call: { operation: 'DescribeKey', input: (context) => ({ KeyId: context.key('remote').Arn }) },
    expect: { error: 'NotFoundException', message: `Invalid arn ${SECONDARY_REGION}` },
  },
  ...(['id', 'arn'] as const).map(
    (form): RecordedCase => ({
      recorded: `test_get_key_in_different_region/describe-key-same-specific-region-with-${form}`,
      keys: { remote: key({ Description: 'test key 123' }, SECONDARY_REGION) },
      call: {
        operation: 'DescribeKey',
        region: SECONDARY_REGION,
        input: (context) => ({ KeyId: form === 'id' ? context.key('remote').KeyId : context.key('remote').Arn }),
      },
      expect: { shape: { KeyMetadata: symmetricKeyMetadata('remote', 'test key 123') } },
    }),
  ),
  {
    recorded: 'test_get_key_does_not_exist/describe-nonexistent-key-with-id',
    call: { operation: 'DescribeKey', input: { KeyId: FAKE_UUID } },
    expect: { error: 'NotFoundException', message: (context) => `Key '${context.arnOf(FAKE_UUID)}' does not exist` },
  },
  {
    recorded: 'test_get_key_does_not_exist/describe-nonexistent-with-arn',
    call: { operation: 'DescribeKey', input: (context) => ({ KeyId: context.arnOf(FAKE_UUID) }) },
    expect: { error: 'NotFoundException', message: (context) => `Key '${context.arnOf(FAKE_UUID)}' does not exist` },
  },
  {
    recorded: 'test_get_key_does_not_exist/describe-key-with-valid-id-mrk',
    call: { operation: 'DescribeKey', input: { KeyId: FAKE_MRK } },
    expect: { error: 'NotFoundException', message: (context) => `Key '${context.arnOf(FAKE_MRK)}' does not exist` },
  },
  ...(
    [
      ['describe-key-with-invalid-uuid', 'fake-key-id'],
      ['describe-key-with-invalid-uuid-2', '134f2428cec14b25a1ae9048164dba47'],
      ['describe-key-with-invalid-uuid-mrk', 'mrk-fake-key-id'],
    ] as const
  ).map(
    ([snapshot, id]): RecordedCase => ({
      recorded: `test_get_key_invalid_uuid/${snapshot}`,
      call: { operation: 'DescribeKey', input: { KeyId: id } },
      expect: { error: 'NotFoundException', message: `Invalid keyId '${id}'` },
    }),
  ),
  {
    recorded: 'test_describe_with_alias_arn/created-key',
    call: { operation: 'CreateKey', input: { Description: 'test - description' }, saveAs: 'created' },
    expect: {
      shape: {
        KeyMetadata: {
          ...symmetricKeyMetadata('unused', 'test - description'),
          Arn: ANY_STRING,
          KeyId: ANY_STRING,
        },
      },
    },
  },
  {
    recorded: 'test_describe_with_alias_arn/describe-key',
    keys: { symmetric: key({ Description: 'test - description' }) },
    before: [
      {
        operation: 'CreateAlias',
        input: (context) => ({ AliasName: 'alias/fidelity-describe', TargetKeyId: context.key('symmetric').KeyId }),
      },
    ],
    call: {
      operation: 'DescribeKey',
      input: (context) => ({
        KeyId: `arn:aws:kms:${context.region}:${context.accountId}:alias/fidelity-describe`,
      }),
    },
    expect: { shape: { KeyMetadata: symmetricKeyMetadata('symmetric', 'test - description') } },
  },
  {
    recorded: 'test_non_multi_region_keys_should_not_have_multi_region_properties/non_multi_region_keys_should_not_have_multi_region_properties',
    call: { operation: 'CreateKey', input: { MultiRegion: false, Description: 'test non multi region key' } },
    expect: {
      shape: {
        KeyMetadata: {
          ...symmetricKeyMetadata('unused', 'test non multi region key'),
          Arn: ANY_STRING,
          KeyId: new Like('a key id that is not a multi-Region id', (v) => typeof v === 'string' && !v.startsWith('mrk-')),
        },
      },
    },
  },
];

// --- CreateKey: HMAC keys, key usage ---------------------------------------------------------------------------

const createKey: RecordedCase[] = [
  {
    recorded: 'test_hmac_create_key/create-hmac-key',
    call: { operation: 'CreateKey', input: { Description: 'test key', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' } },
    expect: {
      shape: {
        KeyMetadata: {
          ...hmacKeyMetadata('unused', 'test key', 'HMAC_256', 'HMAC_SHA_256'),
          Arn: ANY_STRING,
          KeyId: ANY_STRING,
        },
      },
    },
  },
  {
    recorded: 'test_hmac_create_key/describe-key',
    keys: { hmac: key({ Description: 'test key', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }) },
    call: { operation: 'DescribeKey', input: (context) => ({ KeyId: context.key('hmac').KeyId }) },
    expect: { shape: { KeyMetadata: hmacKeyMetadata('hmac', 'test key', 'HMAC_256', 'HMAC_SHA_256') } },
  },
  {
    recorded: 'test_hmac_create_key_invalid_operations/create-hmac-key-without-key-usage',
    call: { operation: 'CreateKey', input: { Description: 'test HMAC key without key usage', KeySpec: 'HMAC_256' } },
    expect: {
      error: 'ValidationException',
      message: 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    },
  },
  {
    recorded: 'test_hmac_create_key_invalid_operations/create-hmac-key-invalid-spec',
    call: { operation: 'CreateKey', input: { Description: 'test invalid HMAC spec', KeySpec: 'HMAC_random' } },
    expect: {
      error: 'ValidationException',
      message: enumViolation(
        "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must " +
          'satisfy enum value set: ',
        ['RSA_2048', 'ECC_NIST_P384', 'ECC_NIST_P256', 'ECC_NIST_P521', 'HMAC_384', 'RSA_3072', 'ECC_SECG_P256K1',
          'RSA_4096', 'SYMMETRIC_DEFAULT', 'HMAC_256', 'HMAC_224', 'HMAC_512'],
      ),
    },
    note:
      'AWS lists the enum values in an order of its own, and the list grows with each new key spec: the text ' +
      'before the list is compared exactly, and the list must hold every recorded value.',
  },
  {
    recorded: 'test_hmac_create_key_invalid_operations/create-hmac-key-invalid-key-usage',
    call: {
      operation: 'CreateKey',
      input: { Description: 'test invalid HMAC spec', KeySpec: 'HMAC_256', KeyUsage: 'RANDOM' },
    },
    expect: {
      error: 'ValidationException',
      message: enumViolation(
        "1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must " +
          'satisfy enum value set: ',
        ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'],
      ),
    },
    note: 'As for the key spec: the list has grown since (KEY_AGREEMENT), so it must hold the recorded values.',
  },
  {
    recorded: 'test_derive_shared_secret/response-invalid-key-spec',
    call: { operation: 'CreateKey', input: { KeySpec: 'RSA_2048', KeyUsage: 'KEY_AGREEMENT' } },
    expect: { error: 'ValidationException', message: 'KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048' },
  },
];

// --- GenerateMac / VerifyMac -------------------------------------------------------------------------------------

const HMAC_PAIRS = [
  ['HMAC_224', 'HMAC_SHA_224', 28],
  ['HMAC_256', 'HMAC_SHA_256', 32],
  ['HMAC_384', 'HMAC_SHA_384', 48],
  ['HMAC_512', 'HMAC_SHA_512', 64],
] as const;
const MAC_MESSAGE = text('some important message');
const hmacKey = (spec: string): KeySetup => key({ Description: 'test hmac key', KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC' });
const generateMacOf = (algorithm: string, saveAs?: string) => ({
  operation: 'GenerateMac',
  input: (context: CaseContext) => ({ KeyId: context.key('hmac').KeyId, Message: MAC_MESSAGE, MacAlgorithm: algorithm }),
  ...(saveAs ? { saveAs } : {}),
});
const savedMac = (context: CaseContext): unknown => context.output('mac')['Mac'];

const macs: RecordedCase[] = HMAC_PAIRS.flatMap(([spec, algorithm, length]): RecordedCase[] => {
  const test = `test_generate_and_verify_mac[${spec}-${algorithm}]`;
  return [
    {
      recorded: `${test}/generate-mac`,
      keys: { hmac: hmacKey(spec) },
      call: generateMacOf(algorithm),
      expect: { shape: { KeyId: keyArn('hmac'), Mac: blobOf(length), MacAlgorithm: algorithm } },
    },
    {
      recorded: `${test}/verify-mac`,
      keys: { hmac: hmacKey(spec) },
      before: [generateMacOf(algorithm, 'mac')],
      call: {
        operation: 'VerifyMac',
        input: (context) => ({
          KeyId: context.key('hmac').KeyId,
          Message: MAC_MESSAGE,
          MacAlgorithm: algorithm,
          Mac: savedMac(context),
        }),
      },
      expect: { shape: { KeyId: keyArn('hmac'), MacAlgorithm: algorithm, MacValid: true } },
    },
    {
      recorded: `${test}/generate-mac-invalid-key-id`,
      call: { operation: 'GenerateMac', input: { KeyId: 'key_id', Message: MAC_MESSAGE, MacAlgorithm: algorithm } },
      expect: { error: 'NotFoundException', message: "Invalid keyId 'key_id'" },
    },
    {
      recorded: `${test}/verify-mac-invalid-key-id`,
      call: {
        operation: 'VerifyMac',
        input: { KeyId: 'key_id', Message: MAC_MESSAGE, MacAlgorithm: algorithm, Mac: new Uint8Array(length) },
      },
      expect: { error: 'NotFoundException', message: "Invalid keyId 'key_id'" },
    },
  ];
});

const ENUM_MAC_ALGORITHMS = enumViolation(
  "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must " +
    'satisfy enum value set: ',
  ['HMAC_SHA_384', 'HMAC_SHA_256', 'HMAC_SHA_224', 'HMAC_SHA_512'],
);

const invalidMacs: RecordedCase[] = [
  {
    recorded: 'test_invalid_generate_mac[HMAC_224-HMAC_SHA_256]/generate-mac',
    keys: { hmac: hmacKey('HMAC_224') },
    call: generateMacOf('HMAC_SHA_256'),
    expect: { error: 'InvalidKeyUsageException', message: 'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.' },
  },
  {
    recorded: 'test_invalid_generate_mac[HMAC_256-INVALID]/generate-mac',
    keys: { hmac: hmacKey('HMAC_256') },
    call: generateMacOf('INVALID'),
    expect: { error: 'ValidationException', message: ENUM_MAC_ALGORITHMS },
  },
  ...(
    [
      ['HMAC_SHA_256', 'some different important message'],
      ['HMAC_SHA_512', 'some important message'],
      ['INVALID', 'some important message'],
    ] as const
  ).flatMap(([algorithm, message]): RecordedCase[] => {
    const test = `test_invalid_verify_mac[HMAC_256-${algorithm}-${message}]`;
    const verify = {
      operation: 'VerifyMac',
      input: (context: CaseContext) => ({
        KeyId: context.key('hmac').KeyId,
        Message: text(message),
        MacAlgorithm: algorithm,
        Mac: savedMac(context),
      }),
    };
    const answers: Record<string, RecordedCase['expect']> = {
      HMAC_SHA_256: { error: 'KMSInvalidMacException', message: '' },
      HMAC_SHA_512: { error: 'InvalidKeyUsageException', message: 'Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256.' },
      INVALID: { error: 'ValidationException', message: ENUM_MAC_ALGORITHMS },
    };
    return [
      {
        recorded: `${test}/generate-mac`,
        keys: { hmac: hmacKey('HMAC_256') },
        call: generateMacOf('HMAC_SHA_256'),
        expect: { shape: { KeyId: keyArn('hmac'), Mac: blobOf(32), MacAlgorithm: 'HMAC_SHA_256' } },
      },
      {
        recorded: `${test}/verify-mac`,
        keys: { hmac: hmacKey('HMAC_256') },
        before: [generateMacOf('HMAC_SHA_256', 'mac')],
        call: verify,
        expect: answers[algorithm] ?? { error: 'unreachable', message: '' },
      },
    ];
  }),
];

// --- Key usage errors --------------------------------------------------------------------------------------------

const usageKeys = {
  hmac: key({ Description: 'test key hmac', KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC' }),
  symmetric: key({ Description: 'test key encrypt decrypt' }),
  signing: key({ Description: 'test key sign verify', KeyUsage: 'SIGN_VERIFY', KeySpec: 'RSA_2048' }),
};
const usageMessage = (name: string, usage: string, operation: string) => (context: CaseContext) =>
  `${context.key(name).Arn} key usage is ${usage} which is not valid for ${operation}.`;

const keyUsage: RecordedCase[] = [
  {
    recorded: 'test_error_messaging_for_invalid_keys/generate-mac-invalid-key-id',
    keys: { symmetric: usageKeys.symmetric },
    call: {
      operation: 'GenerateMac',
      input: (context) => ({ KeyId: context.key('symmetric').KeyId, Message: MAC_MESSAGE, MacAlgorithm: 'HMAC_SHA_224' }),
    },
    expect: { error: 'InvalidKeyUsageException', message: usageMessage('symmetric', 'ENCRYPT_DECRYPT', 'GenerateMac') },
  },
  {
    recorded: 'test_error_messaging_for_invalid_keys/sign-invalid-key-id',
    keys: { hmac: usageKeys.hmac },
    call: {
      operation: 'Sign',
      input: (context) => ({
        KeyId: context.key('hmac').KeyId,
        MessageType: 'RAW',
        Message: text('test message 123!@#'),
        SigningAlgorithm: 'RSASSA_PSS_SHA_256',
      }),
    },
    expect: { error: 'InvalidKeyUsageException', message: usageMessage('hmac', 'GENERATE_VERIFY_MAC', 'Sign') },
  },
  {
    recorded: 'test_error_messaging_for_invalid_keys/verify-invalid-key-id',
    keys: { symmetric: usageKeys.symmetric },
    call: {
      operation: 'Verify',
      input: (context) => ({
        KeyId: context.key('symmetric').KeyId,
        MessageType: 'RAW',
        Message: text('test message'),
        Signature: text('random text'),
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    },
    expect: { error: 'InvalidKeyUsageException', message: usageMessage('symmetric', 'ENCRYPT_DECRYPT', 'Verify') },
  },
  {
    recorded: 'test_error_messaging_for_invalid_keys/encrypt-invalid-key-id',
    keys: { signing: usageKeys.signing },
    call: {
      operation: 'Encrypt',
      input: (context) => ({ KeyId: context.key('signing').KeyId, Plaintext: text('test message 123!@#') }),
    },
    expect: { error: 'InvalidKeyUsageException', message: usageMessage('signing', 'SIGN_VERIFY', 'Encrypt') },
  },
  {
    recorded: 'test_error_messaging_for_invalid_keys/decrypt-invalid-key-id',
    keys: { symmetric: usageKeys.symmetric, hmac: usageKeys.hmac },
    before: [
      {
        operation: 'Encrypt',
        input: (context) => ({ KeyId: context.key('symmetric').KeyId, Plaintext: text('test message 123!@#') }),
        saveAs: 'encrypted',
      },
    ],
    call: {
      operation: 'Decrypt',
      input: (context) => ({
        KeyId: context.key('hmac').KeyId,
        CiphertextBlob: context.output('encrypted')['CiphertextBlob'],
      }),
    },
    expect: {
      error: 'IncorrectKeyException',
      message: 'The key ID in the request does not identify a CMK that can perform this operation.',
    },
  },
  {
    recorded: 'test_derive_shared_secret/response-invalid-key-usage',
    keys: { signing: keyOf('ECC_NIST_P256', 'SIGN_VERIFY'), peer: keyOf('ECC_NIST_P256', 'KEY_AGREEMENT') },
    before: [{ operation: 'GetPublicKey', input: (context) => ({ KeyId: context.key('peer').KeyId }), saveAs: 'peer' }],
    call: {
      operation: 'DeriveSharedSecret',
      input: (context) => ({
        KeyId: context.key('signing').KeyId,
        KeyAgreementAlgorithm: 'ECDH',
        PublicKey: context.output('peer')['PublicKey'],
      }),
    },
    expect: { error: 'InvalidKeyUsageException', message: usageMessage('signing', 'SIGN_VERIFY', 'DeriveSharedSecret') },
  },
  {
    recorded: 'test_derive_shared_secret/response-invalid-key',
    keys: { symmetric: key({}), peer: keyOf('ECC_NIST_P256', 'KEY_AGREEMENT') },
    before: [{ operation: 'GetPublicKey', input: (context) => ({ KeyId: context.key('peer').KeyId }), saveAs: 'peer' }],
    call: {
      operation: 'DeriveSharedSecret',
      input: (context) => ({
        KeyId: context.key('symmetric').KeyId,
        KeyAgreementAlgorithm: 'ECDH',
        PublicKey: context.output('peer')['PublicKey'],
      }),
    },
    expect: {
      error: 'InvalidKeyUsageException',
      message: usageMessage('symmetric', 'ENCRYPT_DECRYPT', 'DeriveSharedSecret'),
    },
  },
  {
    recorded: 'test_re_encrypt_incorrect_source_key/incorrect-source-key',
    keys: { symmetric: keyOf('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'), hmac: hmacKey('HMAC_224') },
    before: [
      {
        operation: 'Encrypt',
        input: (context) => ({
          KeyId: context.key('symmetric').KeyId,
          Plaintext: base64Text(MESSAGE),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        }),
        saveAs: 'encrypted',
      },
    ],
    call: {
      operation: 'ReEncrypt',
      input: (context) => ({
        SourceKeyId: context.key('hmac').KeyId,
        DestinationKeyId: context.key('hmac').KeyId,
        CiphertextBlob: context.output('encrypted')['CiphertextBlob'],
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      }),
    },
    expect: {
      error: 'IncorrectKeyException',
      message: 'The key ID in the request does not identify a CMK that can perform this operation.',
    },
  },
];

// --- DeriveSharedSecret ------------------------------------------------------------------------------------------

const agreementKeys = { own: keyOf('ECC_NIST_P256', 'KEY_AGREEMENT'), peer: keyOf('ECC_NIST_P256', 'KEY_AGREEMENT') };
const peerPublicKey = { operation: 'GetPublicKey', input: (context: CaseContext) => ({ KeyId: context.key('peer').KeyId }), saveAs: 'peer' };

const deriveSharedSecret: RecordedCase[] = [
  ...['test_derive_shared_secret/response', 'test_derive_shared_secret_matches_openssl/derived-shared-key-resp'].map(
    (recorded): RecordedCase => ({
      recorded,
      keys: agreementKeys,
      before: [peerPublicKey],
      call: {
        operation: 'DeriveSharedSecret',
        input: (context) => ({ KeyId: context.key('own').KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: context.output('peer')['PublicKey'] }),
      },
      expect: { shape: { KeyAgreementAlgorithm: 'ECDH', KeyId: keyArn('own'), KeyOrigin: 'AWS_KMS', SharedSecret: blobOf(32) } },
    }),
  ),
  {
    recorded: 'test_derive_shared_secret/response-invalid-key-agreement-algo',
    keys: agreementKeys,
    before: [peerPublicKey],
    call: {
      operation: 'DeriveSharedSecret',
      input: (context) => ({ KeyId: context.key('own').KeyId, KeyAgreementAlgorithm: 'INVALID', PublicKey: context.output('peer')['PublicKey'] }),
    },
    expect: {
      error: 'ValidationException',
      message: enumViolation(
        "1 validation error detected: Value 'INVALID' at 'keyAgreementAlgorithm' failed to satisfy constraint: " +
          'Member must satisfy enum value set: ',
        ['ECDH'],
      ),
    },
  },
  {
    recorded: 'test_derive_shared_secret/response-invalid-public-key',
    keys: { own: agreementKeys.own },
    call: {
      operation: 'DeriveSharedSecret',
      input: (context) => ({ KeyId: context.key('own').KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: text('InvalidPublicKey') }),
    },
    expect: { error: 'ValidationException', message: '' },
  },
];

// --- Sign / Verify -----------------------------------------------------------------------------------------------

const SIGN_PAIRS = [
  ['RSA_2048', 'RSASSA_PSS_SHA_256'],
  ['RSA_2048', 'RSASSA_PSS_SHA_384'],
  ['RSA_2048', 'RSASSA_PSS_SHA_512'],
  ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_256'],
  ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_512'],
  ['ECC_NIST_P256', 'ECDSA_SHA_256'],
  ['ECC_NIST_P384', 'ECDSA_SHA_384'],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256'],
] as const;
const SIGNED = text('test message !%$@ 1234567890');
/** Pairs whose DIGEST calls belong to test/api/asymmetric/pss-digest.test.ts. */
export const isPss = (algorithm: string): boolean => algorithm.startsWith('RSASSA_PSS_');

const signing: RecordedCase[] = SIGN_PAIRS.flatMap(([spec, algorithm]): RecordedCase[] => {
  const test = `test_sign_verify[${spec}-${algorithm}]`;
  const keys = { signer: keyOf(spec, 'SIGN_VERIFY') };
  const sign = (message: Uint8Array, saveAs?: string) => ({
    operation: 'Sign',
    input: (context: CaseContext) => ({ KeyId: context.key('signer').KeyId, SigningAlgorithm: algorithm, MessageType: 'RAW', Message: message }),
    ...(saveAs ? { saveAs } : {}),
  });
  const verify = (signature: string) => ({
    operation: 'Verify',
    input: (context: CaseContext) => ({
      KeyId: context.key('signer').KeyId,
      SigningAlgorithm: algorithm,
      MessageType: 'RAW',
      Message: SIGNED,
      Signature: context.output(signature)['Signature'],
    }),
  });
  const cases: RecordedCase[] = [
    {
      recorded: `${test}/signature`,
      keys,
      call: sign(SIGNED),
      expect: { shape: { KeyId: keyArn('signer'), Signature: ANY_BLOB, SigningAlgorithm: algorithm } },
    },
    {
      recorded: `${test}/verification`,
      keys,
      before: [sign(SIGNED, 'good')],
      call: verify('good'),
      expect: { shape: { KeyId: keyArn('signer'), SignatureValid: true, SigningAlgorithm: algorithm } },
    },
    {
      recorded: `${test}/bad-signature`,
      keys,
      before: [sign(text('bad'), 'bad')],
      call: verify('bad'),
      expect: { error: 'KMSInvalidSignatureException', message: '' },
    },
  ];
  if (!isPss(algorithm)) {
    cases.push({
      recorded: `${test}/bad-digest`,
      keys,
      call: {
        operation: 'Sign',
        input: (context) => ({ KeyId: context.key('signer').KeyId, SigningAlgorithm: algorithm, MessageType: 'DIGEST', Message: SIGNED }),
      },
      expect: { error: 'ValidationException', message: UNVERIFIED_MESSAGE },
      note: 'The LocalStack test skips the message of this answer (skip_snapshot_verify on $..Error.Message).',
    });
  }
  return cases;
});

// --- Encryption context, ciphertexts, data keys -----------------------------------------------------------------

const CONTEXT = { 'context-key': 'context-value' };
const encryptWithContext = {
  operation: 'Encrypt',
  input: (context: CaseContext) => ({
    KeyId: context.key('symmetric').KeyId,
    Plaintext: base64Text(MESSAGE),
    EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    EncryptionContext: CONTEXT,
  }),
  saveAs: 'encrypted',
};
const savedCiphertext = (context: CaseContext): Uint8Array => context.output('encrypted')['CiphertextBlob'] as Uint8Array;
/** LocalStack's HEADER_LEN: the bytes the test cuts off the front of an AWS ciphertext to make it invalid. */
const LOCALSTACK_HEADER_LEN = 36 + 16 + 16;

const encryptionContext: RecordedCase[] = [
  {
    recorded: 'test_encrypt_decrypt_encryption_context/encrypt_response',
    keys: { symmetric: key({}) },
    call: encryptWithContext,
    expect: { shape: { CiphertextBlob: ANY_BLOB, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', KeyId: keyArn('symmetric') } },
  },
  {
    recorded: 'test_encrypt_decrypt_encryption_context/decrypt_response_with_encryption_context',
    keys: { symmetric: key({}) },
    before: [encryptWithContext],
    call: {
      operation: 'Decrypt',
      input: (context) => ({
        KeyId: context.key('symmetric').KeyId,
        CiphertextBlob: savedCiphertext(context),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        EncryptionContext: CONTEXT,
      }),
    },
    expect: {
      shape: {
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        KeyId: keyArn('symmetric'),
        KeyMaterialId: ANY_STRING,
        Plaintext: (): unknown => base64Text(MESSAGE),
      },
    },
  },
  {
    recorded: 'test_encrypt_decrypt_encryption_context/decrypt_response_without_encryption_context',
    keys: { symmetric: key({}) },
    before: [encryptWithContext],
    call: {
      operation: 'Decrypt',
      input: (context) => ({
        KeyId: context.key('symmetric').KeyId,
        CiphertextBlob: savedCiphertext(context),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      }),
    },
    expect: { error: 'InvalidCiphertextException', message: '' },
  },
  {
    recorded: 'test_encrypt_decrypt_encryption_context/decrypt_response_with_invalid_ciphertext',
    keys: { symmetric: key({}) },
    before: [encryptWithContext],
    call: {
      operation: 'Decrypt',
      input: (context) => ({
        KeyId: context.key('symmetric').KeyId,
        CiphertextBlob: savedCiphertext(context).subarray(LOCALSTACK_HEADER_LEN),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        EncryptionContext: CONTEXT,
      }),
    },
    expect: { error: 'InvalidCiphertextException', message: '' },
  },
  {
    recorded: 'test_key_rotations_encryption_decryption/bad-ciphertext',
    keys: { symmetric: keyOf('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT') },
    before: [
      {
        operation: 'Encrypt',
        input: (context) => ({ KeyId: context.key('symmetric').KeyId, Plaintext: base64Text(MESSAGE) }),
        saveAs: 'encrypted',
      },
      { operation: 'RotateKeyOnDemand', input: (context) => ({ KeyId: context.key('symmetric').KeyId }) },
    ],
    call: {
      operation: 'Decrypt',
      input: (context) => ({
        KeyId: context.key('symmetric').KeyId,
        CiphertextBlob: Buffer.concat([savedCiphertext(context), Buffer.from('bad_data')]),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      }),
    },
    expect: { error: 'InvalidCiphertextException', message: '' },
  },
  ...(
    [
      ['test_encryption_context_generate_data_key', 'GenerateDataKey', { KeySpec: 'AES_256' }, 'CiphertextBlob'],
      ['test_encryption_context_generate_data_key_without_plaintext', 'GenerateDataKeyWithoutPlaintext', { KeySpec: 'AES_256' }, 'CiphertextBlob'],
      ['test_encryption_context_generate_data_key_pair', 'GenerateDataKeyPair', { KeyPairSpec: 'RSA_2048' }, 'PrivateKeyCiphertextBlob'],
      [
        'test_encryption_context_generate_data_key_pair_without_plaintext',
        'GenerateDataKeyPairWithoutPlaintext',
        { KeyPairSpec: 'RSA_2048' },
        'PrivateKeyCiphertextBlob',
      ],
    ] as const
  ).map(
    ([test, operation, spec, blob]): RecordedCase => ({
      recorded: `${test}/decrypt-without-encryption-context`,
      keys: { symmetric: key({}) },
      before: [
        {
          operation,
          input: (context) => ({ KeyId: context.key('symmetric').KeyId, ...spec, EncryptionContext: CONTEXT }),
          saveAs: 'generated',
        },
      ],
      call: {
        operation: 'Decrypt',
        input: (context) => ({ KeyId: context.key('symmetric').KeyId, CiphertextBlob: context.output('generated')[blob] }),
      },
      expect: { error: 'InvalidCiphertextException', message: '' },
    }),
  ),
];

/**
 * These recordings (2023, and June 2025 for ReEncrypt) predate the key material ids AWS now returns with every
 * symmetric answer (the September 2025 Decrypt recording above shows KeyMaterialId, as does today's model):
 * the ids are allowed, not required.
 */
const MATERIAL_ID = ['KeyMaterialId'];

const dataKeys: RecordedCase[] = [
  {
    recorded: 'test_generate_data_key/generate-data-key-result',
    keys: { symmetric: key({}) },
    call: { operation: 'GenerateDataKey', input: (context) => ({ KeyId: context.key('symmetric').KeyId, KeySpec: 'AES_256' }) },
    expect: { shape: { CiphertextBlob: ANY_BLOB, KeyId: keyArn('symmetric'), Plaintext: blobOf(32) }, addedSince: MATERIAL_ID },
  },
  {
    recorded: 'test_generate_data_key_without_plaintext/generate-data-key-without-plaintext',
    keys: { symmetric: key({}) },
    call: {
      operation: 'GenerateDataKeyWithoutPlaintext',
      input: (context) => ({ KeyId: context.key('symmetric').KeyId, KeySpec: 'AES_256' }),
    },
    expect: { shape: { CiphertextBlob: ANY_BLOB, KeyId: keyArn('symmetric') }, addedSince: MATERIAL_ID },
  },
  {
    recorded: 'test_generate_data_key_pair/generate-data-key-pair',
    keys: { symmetric: key({}) },
    call: { operation: 'GenerateDataKeyPair', input: (context) => ({ KeyId: context.key('symmetric').KeyId, KeyPairSpec: 'RSA_2048' }) },
    expect: {
      shape: {
        KeyId: keyArn('symmetric'),
        KeyPairSpec: 'RSA_2048',
        PrivateKeyCiphertextBlob: ANY_BLOB,
        PrivateKeyPlaintext: ANY_BLOB,
        PublicKey: ANY_BLOB,
      },
      addedSince: MATERIAL_ID,
    },
  },
  {
    recorded: 'test_generate_data_key_pair_without_plaintext/generate-data-key-pair-without-plaintext',
    keys: { symmetric: key({}) },
    call: {
      operation: 'GenerateDataKeyPairWithoutPlaintext',
      input: (context) => ({ KeyId: context.key('symmetric').KeyId, KeyPairSpec: 'RSA_2048' }),
    },
    expect: {
      shape: {
        KeyId: keyArn('symmetric'),
        KeyPairSpec: 'RSA_2048',
        PrivateKeyCiphertextBlob: ANY_BLOB,
        PublicKey: ANY_BLOB,
      },
      addedSince: MATERIAL_ID,
    },
  },
  ...(['GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'] as const).map(
    (operation): RecordedCase => ({
      recorded: `test_${operation === 'GenerateDataKeyPair' ? 'generate_data_key_pair' : 'generate_data_key_pair_without_plaintext'}_dry_run/dryrun_exception`,
      keys: { symmetric: key({}) },
      call: {
        operation,
        input: (context) => ({ KeyId: context.key('symmetric').KeyId, KeyPairSpec: 'RSA_2048', DryRun: true }),
      },
      expect: { error: 'DryRunOperationException', message: 'The request would have succeeded, but the DryRun option is set.' },
    }),
  ),
  ...(
    [
      ['SYMMETRIC_DEFAULT', 'SYMMETRIC_DEFAULT'],
      ['RSA_2048', 'RSAES_OAEP_SHA_256'],
    ] as const
  ).map(
    ([spec, algorithm]): RecordedCase => ({
      recorded: `test_re_encrypt[${spec}-${algorithm}]/test_re_encrypt`,
      keys: { source: keyOf(spec, 'ENCRYPT_DECRYPT'), destination: keyOf(spec, 'ENCRYPT_DECRYPT') },
      before: [
        {
          operation: 'Encrypt',
          input: (context) => ({ KeyId: context.key('source').KeyId, Plaintext: base64Text(MESSAGE), EncryptionAlgorithm: algorithm }),
          saveAs: 'encrypted',
        },
      ],
      call: {
        operation: 'ReEncrypt',
        input: (context) => ({
          SourceKeyId: context.key('source').KeyId,
          DestinationKeyId: context.key('destination').KeyId,
          CiphertextBlob: savedCiphertext(context),
          SourceEncryptionAlgorithm: algorithm,
          DestinationEncryptionAlgorithm: algorithm,
        }),
      },
      expect: {
        shape: {
          CiphertextBlob: ANY_BLOB,
          DestinationEncryptionAlgorithm: algorithm,
          KeyId: keyArn('destination'),
          SourceEncryptionAlgorithm: algorithm,
          SourceKeyId: keyArn('source'),
        },
        addedSince: ['SourceKeyMaterialId', 'DestinationKeyMaterialId'],
      },
    }),
  ),
];

// --- Tags ----------------------------------------------------------------------------------------------------------

const tagsOf = (entries: Record<string, string>) => Object.entries(entries).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
const listTags = (name = 'tagged') => ({ operation: 'ListResourceTags', input: (context: CaseContext) => ({ KeyId: context.key(name).KeyId }) });
const tagShape = (entries: Record<string, string>) => ({ shape: { Tags: tagsOf(entries) }, partial: true as const });
const taggedKey = (entries: Record<string, string>) => key({ Description: 'test key 123', KeyUsage: 'ENCRYPT_DECRYPT', Tags: tagsOf(entries) });

const tags: RecordedCase[] = [
  {
    recorded: 'test_tag_existing_key_and_untag/list-resource-tags',
    keys: { tagged: SYMMETRIC },
    before: [{ operation: 'TagResource', input: (context) => ({ KeyId: context.key('tagged').KeyId, Tags: tagsOf({ tag1: 'value1', tag2: 'value2' }) }) }],
    call: listTags(),
    expect: tagShape({ tag1: 'value1', tag2: 'value2' }),
  },
  {
    recorded: 'test_tag_existing_key_and_untag/list-resource-tags-after-all-untagged',
    keys: { tagged: SYMMETRIC },
    before: [
      { operation: 'TagResource', input: (context) => ({ KeyId: context.key('tagged').KeyId, Tags: tagsOf({ tag1: 'value1', tag2: 'value2' }) }) },
      { operation: 'UntagResource', input: (context) => ({ KeyId: context.key('tagged').KeyId, TagKeys: ['tag1', 'tag2'] }) },
    ],
    call: listTags(),
    expect: tagShape({}),
  },
  {
    recorded: 'test_create_key_with_tag_and_untag/list-resource-tags',
    keys: { tagged: taggedKey({ tag1: 'value1', tag2: 'value2' }) },
    call: listTags(),
    expect: tagShape({ tag1: 'value1', tag2: 'value2' }),
  },
  {
    recorded: 'test_create_key_with_tag_and_untag/list-resource-tags-after-all-untagged',
    keys: { tagged: taggedKey({ tag1: 'value1', tag2: 'value2' }) },
    before: [{ operation: 'UntagResource', input: (context) => ({ KeyId: context.key('tagged').KeyId, TagKeys: ['tag1', 'tag2'] }) }],
    call: listTags(),
    expect: tagShape({}),
  },
  {
    recorded: 'test_untag_key_partially/list-resource-tags',
    keys: { tagged: taggedKey({ tag1: 'value1', tag2: 'value2', tag3: 'value3' }) },
    call: listTags(),
    expect: tagShape({ tag1: 'value1', tag2: 'value2', tag3: 'value3' }),
  },
  {
    recorded: 'test_untag_key_partially/list-resource-tags-after-partially-untagged',
    keys: { tagged: taggedKey({ tag1: 'value1', tag2: 'value2', tag3: 'value3' }) },
    before: [{ operation: 'UntagResource', input: (context) => ({ KeyId: context.key('tagged').KeyId, TagKeys: ['tag2'] }) }],
    call: listTags(),
    expect: tagShape({ tag1: 'value1', tag3: 'value3' }),
  },
  {
    recorded: 'test_update_and_add_tags_on_tagged_key/list-resource-tags',
    keys: { tagged: taggedKey({ tag1: 'value1', tag2: 'value2', tag3: 'value3' }) },
    call: listTags(),
    expect: tagShape({ tag1: 'value1', tag2: 'value2', tag3: 'value3' }),
  },
  {
    recorded: 'test_update_and_add_tags_on_tagged_key/list-resource-tags-after-tags-updated',
    keys: { tagged: taggedKey({ tag1: 'value1', tag2: 'value2', tag3: 'value3' }) },
    before: [
      {
        operation: 'TagResource',
        input: (context) => ({ KeyId: context.key('tagged').KeyId, Tags: tagsOf({ tag4: 'value4', tag2: 'updated_value2', tag5: 'value5' }) }),
      },
    ],
    call: listTags(),
    expect: tagShape({ tag1: 'value1', tag2: 'updated_value2', tag3: 'value3', tag4: 'value4', tag5: 'value5' }),
    note: 'A tag whose key exists keeps its place with the new value; new keys follow in the order given.',
  },
  {
    recorded: 'test_tag_key_with_duplicate_tag_keys_raises_error/duplicate-tag-keys',
    keys: { tagged: SYMMETRIC },
    call: {
      operation: 'TagResource',
      input: (context) => ({
        KeyId: context.key('tagged').KeyId,
        Tags: [
          { TagKey: 'tag1', TagValue: 'value1' },
          { TagKey: 'tag1', TagValue: 'another-value1' },
        ],
      }),
    },
    expect: { error: 'TagException', message: 'Duplicate tag keys' },
  },
  {
    recorded: 'test_create_key_with_too_many_tags_raises_error/invalid-tag-key',
    call: {
      operation: 'CreateKey',
      input: {
        Description: 'test key 123',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `key${i}`, TagValue: `value${i}` })),
      },
    },
    expect: { error: 'TagException', message: 'Too many tags' },
  },
  ...(
    [
      ['lowercase_prefix', 'aws:key1'],
      ['uppercase_prefix', 'AWS:key1'],
    ] as const
  ).map(
    ([variant, tagKey]): RecordedCase => ({
      recorded: `test_create_key_with_invalid_tag_key[${variant}]/invalid-tag-key`,
      call: {
        operation: 'CreateKey',
        input: { Description: 'test key 123', KeyUsage: 'ENCRYPT_DECRYPT', Tags: tagsOf({ [tagKey]: 'value1' }) },
      },
      expect: { error: 'TagException', message: 'Tags beginning with aws: are reserved' },
    }),
  ),
  {
    recorded: 'test_create_key_with_invalid_tag_key[too_long_key]/invalid-tag-key',
    call: {
      operation: 'CreateKey',
      input: { Description: 'test key 123', KeyUsage: 'ENCRYPT_DECRYPT', Tags: tagsOf({ ['a'.repeat(129)]: 'value1' }) },
    },
    expect: {
      error: 'ValidationException',
      message:
        `1 validation error detected: Value '${'a'.repeat(129)}' at 'tags.1.member.tagKey' failed to satisfy ` +
        'constraint: Member must have length less than or equal to 128',
    },
  },
  {
    recorded: 'test_tag_existing_key_with_invalid_tag_key/invalid-tag-key',
    keys: { tagged: SYMMETRIC },
    call: { operation: 'TagResource', input: (context) => ({ KeyId: context.key('tagged').KeyId, Tags: tagsOf({ 'aws:key1': 'value1' }) }) },
    expect: { error: 'TagException', message: 'Tags beginning with aws: are reserved' },
  },
  {
    recorded: 'test_key_with_long_tag_value_raises_error/too-long-tag-value',
    call: {
      operation: 'CreateKey',
      input: { Description: 'test key 123', KeyUsage: 'ENCRYPT_DECRYPT', Tags: tagsOf({ tag1: 'v'.repeat(257) }) },
    },
    expect: {
      error: 'ValidationException',
      message:
        `1 validation error detected: Value '${'v'.repeat(257)}' at 'tags.1.member.tagValue' failed to satisfy ` +
        'constraint: Member must have length less than or equal to 256',
    },
  },
];

// --- Rotation ------------------------------------------------------------------------------------------------------

const rotate = { operation: 'RotateKeyOnDemand', input: (context: CaseContext) => ({ KeyId: context.key('symmetric').KeyId }) };
const rotationStatus = { operation: 'GetKeyRotationStatus', input: (context: CaseContext) => ({ KeyId: context.key('symmetric').KeyId }) };
const describeSymmetric = (saveAs?: string) => ({
  operation: 'DescribeKey',
  input: (context: CaseContext) => ({ KeyId: context.key('symmetric').KeyId }),
  ...(saveAs ? { saveAs } : {}),
});
const ANY_DAYS_AHEAD = new Like('a future timestamp', (value) => value instanceof Date && value.getTime() > Date.now());

const rotation: RecordedCase[] = [
  ...[90, 180].map(
    (days): RecordedCase => ({
      recorded: `test_key_enable_rotation_status[${days}]/match_response`,
      keys: { symmetric: key({}) },
      before: [{ operation: 'EnableKeyRotation', input: (context) => ({ KeyId: context.key('symmetric').KeyId, RotationPeriodInDays: days }) }],
      call: rotationStatus,
      expect: { shape: { KeyId: keyArn('symmetric'), KeyRotationEnabled: true, NextRotationDate: ANY_DAYS_AHEAD, RotationPeriodInDays: days } },
    }),
  ),
  ...[
    'test_rotate_key_on_demand_modifies_key_material/rotate-on-demand-response',
    'test_rotate_key_on_demand_with_symmetric_key_and_automatic_rotation_disabled/rotate-on-demand-response',
    'test_rotate_on_demand_returns_arn_for_key_id/rotate-on-demand-aws-key',
  ].map(
    (recorded): RecordedCase => ({
      recorded,
      keys: { symmetric: keyOf('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT') },
      call: rotate,
      expect: { shape: { KeyId: keyArn('symmetric') } },
    }),
  ),
  {
    recorded: 'test_rotate_key_on_demand_with_symmetric_key_and_automatic_rotation_disabled/rotation-status-response-after-rotation',
    keys: { symmetric: key({}) },
    before: [rotate],
    call: rotationStatus,
    expect: { shape: { KeyId: keyArn('symmetric'), KeyRotationEnabled: false } },
  },
  {
    recorded: 'test_rotate_key_on_demand_with_symmetric_key_and_automatic_rotation_enabled/rotate-on-demand-response',
    keys: { symmetric: key({}) },
    before: [{ operation: 'EnableKeyRotation', input: (context) => ({ KeyId: context.key('symmetric').KeyId }) }],
    call: rotate,
    expect: { shape: { KeyId: keyArn('symmetric') } },
  },
  {
    recorded: 'test_rotate_key_on_demand_with_symmetric_key_and_automatic_rotation_enabled/rotation-status-response-after-rotation',
    keys: { symmetric: key({}) },
    before: [{ operation: 'EnableKeyRotation', input: (context) => ({ KeyId: context.key('symmetric').KeyId }) }, rotate],
    call: rotationStatus,
    expect: { shape: { KeyId: keyArn('symmetric'), KeyRotationEnabled: true, NextRotationDate: ANY_DAYS_AHEAD, RotationPeriodInDays: 365 } },
  },
  {
    recorded: 'test_key_rotation_updates_current_key_material_id_for_aws_symmetric_keys/describe-key-before-rotation',
    keys: { symmetric: key({ KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT', Description: 'test-key' }) },
    call: describeSymmetric(),
    expect: { shape: { KeyMetadata: symmetricKeyMetadata('symmetric', 'test-key') } },
  },
  {
    recorded: 'test_key_rotation_updates_current_key_material_id_for_aws_symmetric_keys/describe-key-after-rotation',
    keys: { symmetric: key({ KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT', Description: 'test-key' }) },
    before: [describeSymmetric('before'), rotate],
    call: describeSymmetric(),
    expect: {
      shape: {
        KeyMetadata: {
          ...symmetricKeyMetadata('symmetric', 'test-key'),
          CurrentKeyMaterialId: (context: CaseContext) => {
            const before = context.output('before')['KeyMetadata'] as { CurrentKeyMaterialId?: string };
            return new Like('a new material id', (value) => typeof value === 'string' && value !== before.CurrentKeyMaterialId);
          },
        },
      },
    },
  },
  {
    recorded: 'test_rotate_key_on_demand_raises_error_given_key_is_disabled/error-response',
    keys: { rsa: keyOf('RSA_4096', 'ENCRYPT_DECRYPT') },
    before: [{ operation: 'DisableKey', input: (context) => ({ KeyId: context.key('rsa').KeyId }) }],
    call: { operation: 'RotateKeyOnDemand', input: (context) => ({ KeyId: context.key('rsa').KeyId }) },
    expect: { error: 'DisabledException', message: (context) => `${context.key('rsa').Arn} is disabled.` },
    note: 'A disabled key is refused for being disabled before its spec is looked at.',
  },
  {
    recorded: 'test_rotate_key_on_demand_raises_error_given_key_that_does_not_exist/error-response',
    call: { operation: 'RotateKeyOnDemand', input: { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } },
    expect: {
      error: 'NotFoundException',
      message: (context) => `Key '${context.arnOf('1234abcd-12ab-34cd-56ef-1234567890ab')}' does not exist`,
    },
  },
  {
    recorded: 'test_rotate_key_on_demand_raises_error_given_non_symmetric_key/error-response',
    keys: { rsa: keyOf('RSA_4096', 'ENCRYPT_DECRYPT') },
    call: { operation: 'RotateKeyOnDemand', input: (context) => ({ KeyId: context.key('rsa').KeyId }) },
    expect: { error: 'UnsupportedOperationException', message: '' },
  },
  {
    recorded: 'test_key_rotations_limits/error-response',
    keys: { symmetric: keyOf('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT') },
    before: Array.from({ length: 25 }, () => rotate),
    call: rotate,
    expect: {
      error: 'LimitExceededException',
      message: (context) =>
        'The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be ' +
        `performed for this key: ${context.key('symmetric').Arn}`,
    },
    note:
      'Recorded in April 2025 after 10 rotations; AWS has since raised the limit to 25 (the model documents ' +
      '"a maximum of 25 times per KMS key"), so the 26th is refused, in the recorded words.',
  },
];

// --- Aliases ------------------------------------------------------------------------------------------------------

const aliases: RecordedCase[] = [
  {
    recorded: 'not in the recordings: DeleteAlias of an alias that does not exist (issue #18)',
    call: { operation: 'DeleteAlias', input: { AliasName: 'alias/fidelity-missing' } },
    expect: {
      error: 'NotFoundException',
      message: (context) => `Alias arn:aws:kms:${context.region}:${context.accountId}:alias/fidelity-missing is not found.`,
    },
    note:
      "LocalStack's recordings have no missing alias; AWS's words are those of an AWS SDK error quoted in " +
      'cloudposse/docs#152 ("Alias arn:aws:kms:us-west-2:…:alias/parameter_store_key is not found."), and ' +
      "LocalStack's provider notes that AWS names the alias by its ARN here.",
  },
  {
    recorded: 'test_create_alias/create_alias',
    keys: { symmetric: key({}) },
    call: { operation: 'CreateAlias', input: (context) => ({ AliasName: 'fidelity-no-prefix', TargetKeyId: context.key('symmetric').KeyId }) },
    expect: {
      error: 'ValidationException',
      message:
        'Alias must start with the prefix "alias/". Please see ' +
        'https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    },
  },
];

// --- Assertions of AWS-validated tests without a snapshot: the exception name only -------------------------------

const ASSERTED = 'The test asserts only the exception name (no snapshot), so only the name is compared.';
const symmetricKeyDisabled = { operation: 'DisableKey', input: (context: CaseContext) => ({ KeyId: context.key('symmetric').KeyId }) };
const scheduleDeletion = { operation: 'ScheduleKeyDeletion', input: (context: CaseContext) => ({ KeyId: context.key('symmetric').KeyId }) };

const assertedNames: RecordedCase[] = [
  {
    recorded: 'test_create_grant_with_invalid_key (asserted)',
    call: {
      operation: 'CreateGrant',
      input: (context) => ({
        KeyId: 'invalid',
        GranteePrincipal: `arn:aws:iam::${context.accountId}:root`,
        Operations: ['Decrypt', 'Encrypt'],
      }),
    },
    expect: { error: 'NotFoundException', message: UNVERIFIED_MESSAGE },
    note: ASSERTED,
  },
  {
    recorded: 'test_list_grants_with_invalid_key (asserted)',
    call: { operation: 'ListGrants', input: { KeyId: 'invalid' } },
    expect: { error: 'NotFoundException', message: UNVERIFIED_MESSAGE },
    note: ASSERTED,
  },
  {
    recorded: 'test_invalid_key_usage (asserted): Sign with an ENCRYPT_DECRYPT key',
    keys: { rsa: keyOf('RSA_4096', 'ENCRYPT_DECRYPT') },
    call: {
      operation: 'Sign',
      input: (context) => ({ KeyId: context.key('rsa').KeyId, MessageType: 'RAW', Message: text('hello'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
    },
    expect: { error: 'InvalidKeyUsageException', message: UNVERIFIED_MESSAGE },
    note: ASSERTED,
  },
  {
    recorded: 'test_invalid_key_usage (asserted): Encrypt with a SIGN_VERIFY key',
    keys: { rsa: keyOf('RSA_4096', 'SIGN_VERIFY') },
    call: {
      operation: 'Encrypt',
      input: (context) => ({ KeyId: context.key('rsa').KeyId, Plaintext: text('hello'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
    },
    expect: { error: 'InvalidKeyUsageException', message: UNVERIFIED_MESSAGE },
    note: ASSERTED,
  },
  {
    recorded: 'test_re_encrypt_invalid_destination_key (asserted)',
    keys: { symmetric: keyOf('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'), signing: keyOf('ECC_NIST_P256', 'SIGN_VERIFY') },
    before: [
      {
        operation: 'Encrypt',
        input: (context) => ({ KeyId: context.key('symmetric').KeyId, Plaintext: base64Text(MESSAGE) }),
        saveAs: 'encrypted',
      },
    ],
    call: {
      operation: 'ReEncrypt',
      input: (context) => ({
        SourceKeyId: context.key('symmetric').KeyId,
        DestinationKeyId: context.key('signing').KeyId,
        CiphertextBlob: savedCiphertext(context),
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      }),
    },
    expect: { error: 'InvalidKeyUsageException', message: UNVERIFIED_MESSAGE },
    note: ASSERTED,
  },
  {
    recorded: 'test_cant_use_disabled_or_deleted_keys (asserted): disabled',
    keys: { symmetric: keyOf('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT') },
    before: [symmetricKeyDisabled],
    call: { operation: 'GenerateDataKey', input: (context) => ({ KeyId: context.key('symmetric').KeyId, KeySpec: 'AES_256' }) },
    expect: { error: 'DisabledException', message: UNVERIFIED_MESSAGE },
    note: ASSERTED,
  },
  {
    recorded: 'test_cant_use_disabled_or_deleted_keys (asserted): pending deletion',
    keys: { symmetric: keyOf('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT') },
    before: [symmetricKeyDisabled, scheduleDeletion],
    call: { operation: 'GenerateDataKey', input: (context) => ({ KeyId: context.key('symmetric').KeyId, KeySpec: 'AES_256' }) },
    expect: { error: 'KMSInvalidStateException', message: UNVERIFIED_MESSAGE },
    note: ASSERTED,
  },
  {
    recorded: 'test_cant_delete_deleted_key (asserted)',
    keys: { symmetric: key({}) },
    before: [scheduleDeletion],
    call: scheduleDeletion,
    expect: { error: 'KMSInvalidStateException', message: UNVERIFIED_MESSAGE },
    note: ASSERTED,
  },
];

/** Every recorded case this suite runs, in the order of LocalStack's test file topics. */
export const RECORDED_CASES: readonly RecordedCase[] = [
  ...generateRandom,
  ...encryptLimits,
  ...describeKey,
  ...createKey,
  ...macs,
  ...invalidMacs,
  ...keyUsage,
  ...deriveSharedSecret,
  ...signing,
  ...encryptionContext,
  ...dataKeys,
  ...tags,
  ...rotation,
  ...aliases,
  ...assertedNames,
  ...IMPORT_AND_MULTI_REGION_CASES,
];
