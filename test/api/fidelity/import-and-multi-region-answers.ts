import {
  constants,
  createCipheriv,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  verify,
  type KeyObject,
} from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { hmacKeyMetadata, symmetricKeyMetadata } from './key-metadata-shapes.js';
import {
  ANY_BLOB,
  ANY_STRING,
  Like,
  type Call,
  type CaseContext,
  type KeySetup,
  type RecordedCase,
  type Shape,
  type ShapeValue,
  type WireInput,
} from './recorded-case.js';

/**
 * The recorded answers for imported key material and multi-Region keys (see recorded-case.ts for where they come
 * from). Every case generates its key material here, wraps it the way AWS's documentation tells users to (the
 * OpenSSL commands, done with node:crypto), and imports it with the public key of an earlier
 * GetParametersForImport answer. Material stays in memory; failures name blobs by their length only.
 */

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const keyArn = (name: string) => (context: CaseContext) => context.key(name).Arn;
/** The description LocalStack's `kms_create_key` fixture gives a key when the test names none (masked in the recording). */
const FIXTURE_DESCRIPTION = 'test description - fidelity';

// --- Wrapping key material (GetParametersForImport → ImportKeyMaterial) -------------------------------------------

type WrappingAlgorithm = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256';
interface Wrapping {
  readonly algorithm: WrappingAlgorithm;
  readonly spec: 'RSA_2048' | 'RSA_3072' | 'RSA_4096';
}

/** RFC 5649's alternative initial value, which `openssl enc -id-aes256-wrap-pad -iv A65959A6` names. */
const AES_KEY_WRAP_PAD_IV = Buffer.from('A65959A6', 'hex');

/**
 * EncryptedKeyMaterial as AWS documents it: RSAES_OAEP_SHA_x is RSA-OAEP with SHA-x (and MGF1 with SHA-x) of the
 * material (`openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt
 * rsa_mgf1_md:sha256`); RSA_AES_KEY_WRAP_SHA_x is the OAEP of a fresh AES-256 key followed by the material
 * wrapped with that key (`openssl enc -id-aes256-wrap-pad`).
 */
function wrapKeyMaterial(material: Uint8Array, wrappingPublicKey: Uint8Array, algorithm: WrappingAlgorithm): Buffer {
  const publicKey = createPublicKey({ key: Buffer.from(wrappingPublicKey), format: 'der', type: 'spki' });
  const oaepHash = algorithm.endsWith('_SHA_1') ? 'sha1' : 'sha256';
  const oaep = (data: Uint8Array): Buffer => publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (algorithm.startsWith('RSAES_OAEP_')) return oaep(material);
  const aesKey = randomBytes(32);
  const aesWrap = createCipheriv('id-aes256-wrap-pad', aesKey, AES_KEY_WRAP_PAD_IV);
  const wrapped = Buffer.concat([oaep(aesKey), aesWrap.update(material), aesWrap.final()]);
  aesKey.fill(0);
  return wrapped;
}

/** Key material a case imports: the bytes it wraps (raw, or PKCS#8 DER) and, for key pairs, the public half. */
interface Material {
  readonly bytes: Buffer;
  readonly publicKey?: KeyObject;
}

/** Made on first use, once: the import and the expected answer of a case see the same material. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}
const randomMaterial = (length: number) => once((): Material => ({ bytes: randomBytes(length) }));
const ecMaterial = (namedCurve: string) =>
  once((): Material => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    return { bytes: privateKey.export({ type: 'pkcs8', format: 'der' }), publicKey };
  });
/** One RSA-4096 pair for every RSA case: generating it takes about a second, and no case needs its own. */
const RSA_4096_MATERIAL = once((): Material => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 4096 });
  return { bytes: privateKey.export({ type: 'pkcs8', format: 'der' }), publicKey };
});
const publicKeyDer = (material: () => Material) => (): Uint8Array => {
  const publicKey = material().publicKey;
  if (!publicKey) throw new Error('symmetric material has no public key');
  return publicKey.export({ type: 'spki', format: 'der' });
};

const getParametersForImport = (wrapping: Wrapping, saveAs = 'parameters'): Call => ({
  operation: 'GetParametersForImport',
  input: (context) => ({ KeyId: context.key('external').KeyId, WrappingAlgorithm: wrapping.algorithm, WrappingKeySpec: wrapping.spec }),
  saveAs,
});

interface ImportOptions {
  readonly parameters?: string;
  readonly saveAs?: string;
  /** Members beyond KeyId, ImportToken and EncryptedKeyMaterial (by default ExpirationModel KEY_MATERIAL_DOES_NOT_EXPIRE, as every recording sends it). */
  readonly members?: WireInput;
}
const importKeyMaterial = (material: () => Material, wrapping: Wrapping, options: ImportOptions = {}): Call => ({
  operation: 'ImportKeyMaterial',
  input: (context) => {
    const parameters = context.output(options.parameters ?? 'parameters');
    return {
      KeyId: context.key('external').KeyId,
      ImportToken: parameters['ImportToken'],
      EncryptedKeyMaterial: wrapKeyMaterial(material().bytes, parameters['PublicKey'] as Uint8Array, wrapping.algorithm),
      ...(options.members ?? { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
    };
  },
  ...(options.saveAs ? { saveAs: options.saveAs } : {}),
});
/** GetParametersForImport, then ImportKeyMaterial with its public key and token: what each recording does first. */
const imported = (material: () => Material, wrapping: Wrapping, saveAs = 'imported'): Call[] => [
  getParametersForImport(wrapping),
  importKeyMaterial(material, wrapping, { saveAs }),
];
const deleteImportedKeyMaterial: Call = { operation: 'DeleteImportedKeyMaterial', input: (context) => ({ KeyId: context.key('external').KeyId }) };
const describe = (keyName = 'external', region?: string, saveAs?: string): Call => ({
  operation: 'DescribeKey',
  input: (context) => ({ KeyId: context.key(keyName).KeyId }),
  ...(region ? { region } : {}),
  ...(saveAs ? { saveAs } : {}),
});

// --- What the answers hold ----------------------------------------------------------------------------------------

const MATERIAL_ID = new Like('a key material id (64 lowercase hex digits)', (value) => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value));
const materialIdOf = (context: CaseContext, saved: string): unknown => context.output(saved)['KeyMaterialId'];
/** The KeyMaterialId an earlier ImportKeyMaterial answered (the recordings show the same reference in both places). */
const sameMaterialAs = (saved: string) => (context: CaseContext) => {
  const id = materialIdOf(context, saved);
  return new Like(`the KeyMaterialId ImportKeyMaterial answered (${String(id)})`, (value) => typeof id === 'string' && value === id);
};
const DAY_MS = 24 * 60 * 60 * 1000;
const ABOUT_A_DAY_AHEAD = new Like(
  'a timestamp 24 hours ahead',
  (value) => value instanceof Date && Math.abs(value.getTime() - (Date.now() + DAY_MS)) < 10 * 60 * 1000,
);
const rsaPublicKeyOf = (bits: number) =>
  new Like(`a DER SubjectPublicKeyInfo of an RSA ${bits}-bit key`, (value) => {
    if (!(value instanceof Uint8Array)) return false;
    try {
      const key = createPublicKey({ key: Buffer.from(value), format: 'der', type: 'spki' });
      return key.asymmetricKeyType === 'rsa' && key.asymmetricKeyDetails?.modulusLength === bits;
    } catch {
      return false;
    }
  });
const parametersShape = (spec: number): Shape => ({
  ImportToken: ANY_BLOB,
  KeyId: keyArn('external'),
  ParametersValidTo: ABOUT_A_DAY_AHEAD,
  PublicKey: rsaPublicKeyOf(spec),
});

type MaterialPhase = 'pending-import' | 'imported' | 'material-deleted';

/**
 * DescribeKey of an EXTERNAL key, for every spec alike: `PendingImport` and disabled without material; `Enabled`
 * with its ExpirationModel once imported; `PendingImport` again, without ExpirationModel, once the material is
 * deleted. A symmetric key shows the imported material's id from the import on, and keeps it after the deletion
 * (`test_import_key_symmetric/describe-key-after-deleted-import`).
 */
function externalKeyMetadata(base: Shape, phase: MaterialPhase, currentMaterialId?: ShapeValue): Shape {
  const { CurrentKeyMaterialId: _generatedMaterialId, ...members } = base;
  return {
    ...members,
    Origin: 'EXTERNAL',
    ...(phase === 'imported'
      ? { Enabled: true, KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }
      : { Enabled: false, KeyState: 'PendingImport' }),
    ...(currentMaterialId !== undefined && phase !== 'pending-import' ? { CurrentKeyMaterialId: currentMaterialId } : {}),
  };
}

/** An RSA or ECC key: what an HMAC key shows, with its own usage and algorithms instead of MAC algorithms. */
function asymmetricKeyMetadata(keyName: string, description: string, spec: string, usage: string, algorithms: Shape): Shape {
  const { MacAlgorithms: _macAlgorithms, ...members } = hmacKeyMetadata(keyName, description, spec, '');
  return { ...members, KeyUsage: usage, ...algorithms };
}

/** The answer of CreateKey itself, whose key the case has no name for: AWS's id and ARN compared by kind. */
const createdKey = (metadata: Shape): Shape => ({ KeyMetadata: { ...metadata, Arn: ANY_STRING, KeyId: ANY_STRING } });

// --- Importing: one recorded scenario per key spec ---------------------------------------------------------------

interface ImportScenario {
  /** LocalStack's test name, with its parameters. */
  readonly test: string;
  readonly key: WireInput;
  readonly wrapping: Wrapping;
  /** Fresh material for one case. */
  readonly material: () => () => Material;
  readonly metadata: (keyName: string) => Shape;
  readonly symmetric: boolean;
}

/** The DescribeKey cases every import recording has: before the import, after it, after the material is deleted. */
function describeCases(scenario: ImportScenario, snapshots: Readonly<Record<MaterialPhase, string>>): RecordedCase[] {
  const keys = { external: { input: scenario.key } };
  const materialId = scenario.symmetric ? sameMaterialAs('imported') : undefined;
  const metadata = (phase: MaterialPhase) => ({ KeyMetadata: externalKeyMetadata(scenario.metadata('external'), phase, materialId) });
  return [
    {
      recorded: `${scenario.test}/${snapshots['pending-import']}`,
      keys,
      before: [getParametersForImport(scenario.wrapping)],
      call: describe(),
      expect: { shape: metadata('pending-import') },
    },
    {
      recorded: `${scenario.test}/${snapshots.imported}`,
      keys,
      before: imported(scenario.material(), scenario.wrapping),
      call: describe(),
      expect: { shape: metadata('imported') },
    },
    {
      recorded: `${scenario.test}/${snapshots['material-deleted']}`,
      keys,
      before: [...imported(scenario.material(), scenario.wrapping), deleteImportedKeyMaterial],
      call: describe(),
      expect: { shape: metadata('material-deleted') },
    },
  ];
}

/** The tests assert (without a snapshot) that GetPublicKey answers the public half of the imported private key. */
function publicKeyCase(scenario: ImportScenario): RecordedCase {
  const material = scenario.material();
  return {
    recorded: `${scenario.test} (asserted): GetPublicKey after the import`,
    keys: { external: { input: scenario.key } },
    before: imported(material, scenario.wrapping),
    call: { operation: 'GetPublicKey', input: (context) => ({ KeyId: context.key('external').KeyId }) },
    expect: { shape: { KeyId: keyArn('external'), PublicKey: publicKeyDer(material) }, partial: true },
    note: 'The test compares only the public key with the one derived locally from the imported private key.',
  };
}

const SYMMETRIC_IMPORT: ImportScenario = {
  test: 'test_import_key_symmetric',
  key: { Origin: 'EXTERNAL', Description: FIXTURE_DESCRIPTION },
  wrapping: { algorithm: 'RSAES_OAEP_SHA_256', spec: 'RSA_2048' },
  material: () => randomMaterial(32),
  metadata: (keyName) => symmetricKeyMetadata(keyName, FIXTURE_DESCRIPTION),
  symmetric: true,
};
const pendingImport = (name: string) => (context: CaseContext) => `${context.key(name).Arn} is pending import.`;
const encryptWithExternal: Call = {
  operation: 'Encrypt',
  input: (context) => ({ KeyId: context.key('external').KeyId, Plaintext: text('test content 123 !#') }),
};

const symmetricImport: RecordedCase[] = [
  {
    recorded: 'test_import_key_symmetric/created-key',
    call: { operation: 'CreateKey', input: SYMMETRIC_IMPORT.key },
    expect: { shape: createdKey(externalKeyMetadata(SYMMETRIC_IMPORT.metadata('unused'), 'pending-import')) },
  },
  {
    recorded: 'test_import_key_symmetric/encrypt-before-import-error',
    keys: { external: { input: SYMMETRIC_IMPORT.key } },
    call: encryptWithExternal,
    expect: { error: 'KMSInvalidStateException', message: pendingImport('external') },
  },
  {
    recorded: 'test_import_key_symmetric/import-expiring-key-without-valid-to',
    keys: { external: { input: SYMMETRIC_IMPORT.key } },
    before: [getParametersForImport(SYMMETRIC_IMPORT.wrapping)],
    call: importKeyMaterial(randomMaterial(32), SYMMETRIC_IMPORT.wrapping, { members: {} }),
    expect: { error: 'ValidationException', message: 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES' },
    note: 'No ExpirationModel: it defaults to KEY_MATERIAL_EXPIRES, which needs a ValidTo.',
  },
  ...describeCases(SYMMETRIC_IMPORT, {
    'pending-import': 'describe-key-before-import',
    imported: 'describe-key-after-import',
    'material-deleted': 'describe-key-after-deleted-import',
  }),
  {
    recorded: 'test_import_key_symmetric/encrypt-after-delete-error',
    keys: { external: { input: SYMMETRIC_IMPORT.key } },
    before: [...imported(randomMaterial(32), SYMMETRIC_IMPORT.wrapping), deleteImportedKeyMaterial],
    call: encryptWithExternal,
    expect: { error: 'KMSInvalidStateException', message: pendingImport('external') },
  },
];

const ECC_CURVES = {
  ECC_NIST_P256: { curve: 'prime256v1', algorithm: 'ECDSA_SHA_256', hash: 'sha256' },
  ECC_NIST_P384: { curve: 'secp384r1', algorithm: 'ECDSA_SHA_384', hash: 'sha384' },
  ECC_NIST_P521: { curve: 'secp521r1', algorithm: 'ECDSA_SHA_512', hash: 'sha512' },
  ECC_SECG_P256K1: { curve: 'secp256k1', algorithm: 'ECDSA_SHA_256', hash: 'sha256' },
} as const;
type EccSpec = keyof typeof ECC_CURVES;
const eccScenario = (test: string, spec: EccSpec, description: string, wrapping: Wrapping): ImportScenario => ({
  test,
  key: { Origin: 'EXTERNAL', KeySpec: spec, KeyUsage: 'SIGN_VERIFY', Description: description },
  wrapping,
  material: () => ecMaterial(ECC_CURVES[spec].curve),
  metadata: (keyName) => asymmetricKeyMetadata(keyName, description, spec, 'SIGN_VERIFY', { SigningAlgorithms: [ECC_CURVES[spec].algorithm] }),
  symmetric: false,
});

const ASYMMETRIC_IMPORT = eccScenario('test_import_key_asymmetric', 'ECC_NIST_P256', FIXTURE_DESCRIPTION, {
  algorithm: 'RSAES_OAEP_SHA_256',
  spec: 'RSA_2048',
});
const asymmetricImport: RecordedCase[] = [
  {
    recorded: 'test_import_key_asymmetric/created-key',
    call: { operation: 'CreateKey', input: ASYMMETRIC_IMPORT.key },
    expect: { shape: createdKey(externalKeyMetadata(ASYMMETRIC_IMPORT.metadata('unused'), 'pending-import')) },
  },
  ...describeCases(ASYMMETRIC_IMPORT, {
    'pending-import': 'describe-key-before-import',
    imported: 'describe-key-after-import',
    'material-deleted': 'describe-key-after-deleted-import',
  }),
  publicKeyCase(ASYMMETRIC_IMPORT),
];

const RSA_IMPORT: ImportScenario = {
  test: 'test_import_key_rsa_aes_wrap_sha256',
  key: { Origin: 'EXTERNAL', KeySpec: 'RSA_4096', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'test-key' },
  wrapping: { algorithm: 'RSA_AES_KEY_WRAP_SHA_256', spec: 'RSA_4096' },
  material: () => RSA_4096_MATERIAL,
  metadata: (keyName) =>
    asymmetricKeyMetadata(keyName, 'test-key', 'RSA_4096', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }),
  symmetric: false,
};
const rsaImport: RecordedCase[] = [
  ...describeCases(RSA_IMPORT, {
    'pending-import': 'describe-before-import',
    imported: 'import-key-material-response',
    'material-deleted': 'describe-key-after-deleted-import',
  }).map((recorded) =>
    recorded.recorded.endsWith('/import-key-material-response')
      ? { ...recorded, note: 'Despite its name, this snapshot is the DescribeKey answer after the import.' }
      : recorded,
  ),
  publicKeyCase(RSA_IMPORT),
];

const ECC_WRAPPINGS: Readonly<Record<EccSpec, Wrapping>> = {
  ECC_NIST_P256: { algorithm: 'RSAES_OAEP_SHA_1', spec: 'RSA_2048' },
  ECC_NIST_P384: { algorithm: 'RSAES_OAEP_SHA_1', spec: 'RSA_2048' },
  ECC_NIST_P521: { algorithm: 'RSAES_OAEP_SHA_256', spec: 'RSA_4096' },
  ECC_SECG_P256K1: { algorithm: 'RSAES_OAEP_SHA_1', spec: 'RSA_2048' },
};
const SIGNED = text('test sign verify 123 !%$@ 1234567890');

const eccImport: RecordedCase[] = (Object.keys(ECC_WRAPPINGS) as EccSpec[]).flatMap((spec): RecordedCase[] => {
  const scenario = eccScenario(`test_import_key_ecc_keys[${spec}]`, spec, 'test ecc key import', ECC_WRAPPINGS[spec]);
  const { algorithm, hash } = ECC_CURVES[spec];
  const sign = (saveAs?: string): Call => ({
    operation: 'Sign',
    input: (context) => ({ KeyId: context.key('external').KeyId, Message: SIGNED, MessageType: 'RAW', SigningAlgorithm: algorithm }),
    ...(saveAs ? { saveAs } : {}),
  });
  const signMaterial = scenario.material();
  const verifyMaterial = scenario.material();
  return [
    ...describeCases(scenario, {
      'pending-import': 'describe-key-before-import',
      imported: 'describe-key-after-import',
      'material-deleted': 'describe-key-after-deleted-import',
    }),
    {
      recorded: `${scenario.test}/sign-result`,
      keys: { external: { input: scenario.key } },
      before: imported(signMaterial, scenario.wrapping),
      call: sign(),
      expect: {
        shape: {
          KeyId: keyArn('external'),
          Signature: new Like('a DER ECDSA signature that verifies with the imported public key', (value) => {
            const publicKey = signMaterial().publicKey;
            return value instanceof Uint8Array && publicKey !== undefined && verify(hash, SIGNED, publicKey, value);
          }),
          SigningAlgorithm: algorithm,
        },
      },
      note: 'AWS chose the signature; the imported material decides which signatures verify, so that is compared.',
    },
    {
      recorded: `${scenario.test}/verify-result`,
      keys: { external: { input: scenario.key } },
      before: [...imported(verifyMaterial, scenario.wrapping), sign('signed')],
      call: {
        operation: 'Verify',
        input: (context) => ({
          KeyId: context.key('external').KeyId,
          Message: SIGNED,
          MessageType: 'RAW',
          SigningAlgorithm: algorithm,
          Signature: context.output('signed')['Signature'],
        }),
      },
      expect: { shape: { KeyId: keyArn('external'), SignatureValid: true, SigningAlgorithm: algorithm } },
    },
    publicKeyCase(scenario),
  ];
});

const HMAC_IMPORTS = [
  ['HMAC_224', 28, 'HMAC_SHA_224', 'sha224'],
  ['HMAC_256', 32, 'HMAC_SHA_256', 'sha256'],
  ['HMAC_384', 48, 'HMAC_SHA_384', 'sha384'],
  ['HMAC_512', 64, 'HMAC_SHA_512', 'sha512'],
] as const;
const MAC_MESSAGE = text('test-mac-message');

const hmacImport: RecordedCase[] = HMAC_IMPORTS.flatMap(([spec, length, algorithm, hash]): RecordedCase[] => {
  const scenario: ImportScenario = {
    test: `test_import_key_hmac_keys[${spec}]`,
    key: { Origin: 'EXTERNAL', KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC', Description: 'test import hmac key' },
    wrapping: { algorithm: 'RSAES_OAEP_SHA_256', spec: 'RSA_4096' },
    material: () => randomMaterial(length),
    metadata: (keyName) => hmacKeyMetadata(keyName, 'test import hmac key', spec, algorithm),
    symmetric: false,
  };
  const generateMac = (saveAs?: string): Call => ({
    operation: 'GenerateMac',
    input: (context) => ({ KeyId: context.key('external').KeyId, Message: MAC_MESSAGE, MacAlgorithm: algorithm }),
    ...(saveAs ? { saveAs } : {}),
  });
  const macMaterial = scenario.material();
  const verifyMaterial = scenario.material();
  return [
    ...describeCases(scenario, {
      'pending-import': 'describe-key-before-import',
      imported: 'describe-key-after-import',
      'material-deleted': 'describe-key-after-deleted-import',
    }),
    {
      recorded: `${scenario.test}/generate-mac-response`,
      keys: { external: { input: scenario.key } },
      before: imported(macMaterial, scenario.wrapping),
      call: generateMac(),
      expect: {
        shape: {
          KeyId: keyArn('external'),
          Mac: () => createHmac(hash, macMaterial().bytes).update(MAC_MESSAGE).digest(),
          MacAlgorithm: algorithm,
        },
      },
      note: 'The recording masks the MAC; an HMAC is a function of the imported bytes, so it is compared exactly.',
    },
    {
      recorded: `${scenario.test}/verify-mac-response`,
      keys: { external: { input: scenario.key } },
      before: [...imported(verifyMaterial, scenario.wrapping), generateMac('mac')],
      call: {
        operation: 'VerifyMac',
        input: (context) => ({
          KeyId: context.key('external').KeyId,
          Message: MAC_MESSAGE,
          MacAlgorithm: algorithm,
          Mac: context.output('mac')['Mac'],
        }),
      },
      expect: { shape: { KeyId: keyArn('external'), MacAlgorithm: algorithm, MacValid: true } },
    },
  ];
});

// --- GetParametersForImport on keys that take no import -----------------------------------------------------------

const originIsAwsKms = (context: CaseContext) => `${context.key('external').Arn} origin is AWS_KMS which is not valid for this operation.`;

const importParameters: RecordedCase[] = [
  {
    recorded: 'test_get_parameters_for_import (asserted): an EXTERNAL ECC_NIST_P256 key',
    keys: { external: { input: { KeyUsage: 'SIGN_VERIFY', KeySpec: 'ECC_NIST_P256', Origin: 'EXTERNAL', Description: FIXTURE_DESCRIPTION } } },
    call: getParametersForImport({ algorithm: 'RSAES_OAEP_SHA_256', spec: 'RSA_4096' }),
    expect: { shape: parametersShape(4096) },
    note:
      'The test asserts KeyId (the ARN), ImportToken, PublicKey and a ParametersValidTo timestamp; AWS documents ' +
      'that the token and public key are valid for 24 hours.',
  },
  ...(
    [
      ['test_get_parameters_for_import/response-error', 'RSA_4096'],
      ['test_get_parameters_for_import_raises_for_non_external_kms_keys/get-import-parameters-error', 'RSA_2048'],
    ] as const
  ).map(
    ([recorded, spec]): RecordedCase => ({
      recorded,
      keys: { external: { input: { Description: FIXTURE_DESCRIPTION } } },
      call: getParametersForImport({ algorithm: 'RSAES_OAEP_SHA_256', spec }),
      expect: { error: 'UnsupportedOperationException', message: originIsAwsKms },
      note: 'The key is an ordinary (AWS_KMS) key; the recording masks its ARN as <key-arn>.',
    }),
  ),
];

// --- Rotating imported material -------------------------------------------------------------------------------------

const EXTERNAL_TEST_KEY: KeySetup = { input: { Origin: 'EXTERNAL', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'test-key' } };
const OAEP_256: Wrapping = { algorithm: 'RSAES_OAEP_SHA_256', spec: 'RSA_2048' };
const externalSymmetric = (keyName: string) => symmetricKeyMetadata(keyName, 'test-key');
const rotateExternal: Call = { operation: 'RotateKeyOnDemand', input: (context) => ({ KeyId: context.key('external').KeyId }) };
const ROTATED_PLAINTEXT = text('Hello World!1/?');
const encryptRotated = (saveAs?: string): Call => ({
  operation: 'Encrypt',
  input: (context) => ({ KeyId: context.key('external').KeyId, Plaintext: ROTATED_PLAINTEXT, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }),
  ...(saveAs ? { saveAs } : {}),
});
const ENCRYPTED = { CiphertextBlob: ANY_BLOB, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', KeyId: keyArn('external') };

/** An import of new material into a key that has some: it waits as PENDING_ROTATION until RotateKeyOnDemand. */
const importNew = (material: () => Material, parameters: string, saveAs?: string): Call =>
  importKeyMaterial(material, OAEP_256, {
    parameters,
    ...(saveAs ? { saveAs } : {}),
    members: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL' },
  });
/** New parameters, then the import of new material with them (saved as `saveAs`). */
const importNewMaterial = (material: () => Material, saveAs: string): Call[] => [
  getParametersForImport(OAEP_256, `${saveAs}-parameters`),
  importNew(material, `${saveAs}-parameters`, saveAs),
];
const createExternalTestKey = (test: string): RecordedCase => ({
  recorded: `${test}/create-kms-external-key`,
  call: { operation: 'CreateKey', input: EXTERNAL_TEST_KEY.input },
  expect: { shape: createdKey(externalKeyMetadata(externalSymmetric('unused'), 'pending-import')) },
});
const newMaterialId = (context: CaseContext) => {
  const first = materialIdOf(context, 'imported');
  return new Like('a key material id other than the first', (value) => MATERIAL_ID.accepts(value) && value !== first);
};

/** The steps of `test_rotate_key_on_demand_updates_current_key_material_for_external_keys`, each one recorded. */
function updatesCurrentMaterial(): RecordedCase[] {
  const test = 'test_rotate_key_on_demand_updates_current_key_material_for_external_keys';
  const first = randomMaterial(32);
  const second = randomMaterial(32);
  const keys = { external: EXTERNAL_TEST_KEY };
  const afterFirstImport = imported(first, OAEP_256);
  const afterSecondImport = [...afterFirstImport, encryptRotated(), ...importNewMaterial(second, 'new')];
  const describeWith = (currentMaterial: string) => ({
    KeyMetadata: externalKeyMetadata(externalSymmetric('external'), 'imported', sameMaterialAs(currentMaterial)),
  });
  return [
    createExternalTestKey(test),
    { recorded: `${test}/get-import-parameters-response`, keys, call: getParametersForImport(OAEP_256), expect: { shape: parametersShape(2048) } },
    {
      recorded: `${test}/describe-empty-key-response`,
      keys,
      before: [getParametersForImport(OAEP_256)],
      call: describe(),
      expect: { shape: { KeyMetadata: externalKeyMetadata(externalSymmetric('external'), 'pending-import') } },
    },
    {
      recorded: `${test}/import-key-material-response`,
      keys,
      before: [getParametersForImport(OAEP_256)],
      call: importKeyMaterial(first, OAEP_256),
      expect: { shape: { KeyId: keyArn('external'), KeyMaterialId: MATERIAL_ID } },
    },
    { recorded: `${test}/describe-key-with-material-response`, keys, before: afterFirstImport, call: describe(), expect: { shape: describeWith('imported') } },
    { recorded: `${test}/kms-encrypt-initial-response`, keys, before: afterFirstImport, call: encryptRotated(), expect: { shape: ENCRYPTED } },
    {
      recorded: `${test}/import-new-key-material-response`,
      keys,
      before: [...afterFirstImport, encryptRotated(), getParametersForImport(OAEP_256, 'new-parameters')],
      call: importNew(second, 'new-parameters'),
      expect: { shape: { KeyId: keyArn('external'), KeyMaterialId: newMaterialId } },
    },
    {
      recorded: `${test}/describe-key-with-new-material-response`,
      keys,
      before: afterSecondImport,
      call: describe(),
      expect: { shape: describeWith('imported') },
      note: 'New material waits for RotateKeyOnDemand: the current material is still the first.',
    },
    { recorded: `${test}/rotate-key-on-demand-response`, keys, before: afterSecondImport, call: rotateExternal, expect: { shape: { KeyId: keyArn('external') } } },
    {
      recorded: `${test}/describe-key-after-rotation`,
      keys,
      before: [...afterSecondImport, rotateExternal],
      call: describe(),
      expect: { shape: describeWith('new') },
      note: 'AWS needed a moment to show the rotation (the test polls); Strongroom has rotated when RotateKeyOnDemand answers.',
    },
    {
      recorded: `${test}/kms-encrypt-rotated-key-response`,
      keys,
      before: [...afterSecondImport, rotateExternal],
      call: encryptRotated(),
      expect: { shape: ENCRYPTED },
    },
  ];
}

function decryptsWithPreviousMaterial(): RecordedCase[] {
  const test = 'test_rotate_key_on_demand_for_external_keys_decrypts_with_previous_material';
  const keys = { external: EXTERNAL_TEST_KEY };
  const first = randomMaterial(32);
  const afterFirstImport = imported(first, OAEP_256);
  const rotated = [...afterFirstImport, encryptRotated('encrypted'), ...importNewMaterial(randomMaterial(32), 'new'), rotateExternal];
  const note = 'LocalStack marks this test aws.unknown, but validation.json records a run against AWS (12 November 2025).';
  return [
    { ...createExternalTestKey(test), note },
    {
      recorded: `${test}/import-key-material-response`,
      keys,
      before: [getParametersForImport(OAEP_256)],
      call: importKeyMaterial(first, OAEP_256),
      expect: { shape: { KeyId: keyArn('external'), KeyMaterialId: MATERIAL_ID } },
    },
    { recorded: `${test}/kms-encrypt-initial-response`, keys, before: afterFirstImport, call: encryptRotated(), expect: { shape: ENCRYPTED } },
    {
      recorded: `${test}/rotate-key-on-demand-response`,
      keys,
      before: rotated.slice(0, -1),
      call: rotateExternal,
      expect: { shape: { KeyId: keyArn('external') } },
    },
    {
      recorded: `${test} (asserted): Decrypt of a ciphertext made before the rotation`,
      keys,
      before: rotated,
      call: {
        operation: 'Decrypt',
        input: (context) => ({ KeyId: context.key('external').KeyId, CiphertextBlob: context.output('encrypted')['CiphertextBlob'] }),
      },
      expect: {
        shape: {
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
          KeyId: keyArn('external'),
          KeyMaterialId: sameMaterialAs('imported'),
          Plaintext: (): unknown => ROTATED_PLAINTEXT,
        },
      },
      note:
        'The test asserts the plaintext; the other members are those of the recorded Decrypt answer ' +
        '(test_encrypt_decrypt_encryption_context), with the id of the material that made the ciphertext, as the ' +
        'model documents KeyMaterialId ("the key material used to decrypt the ciphertext").',
    },
  ];
}

function pendingMaterialRaises(): RecordedCase[] {
  const test = 'test_import_key_material_raises_if_there_is_already_key_material_pending';
  const keys = { external: EXTERNAL_TEST_KEY };
  const afterFirstImport = imported(randomMaterial(32), OAEP_256, 'initial');
  const note =
    "The recording shows KeyId as <key-id:1> because the first KeyId it saw was this ARN (LocalStack's KeyId " +
    'transformer then replaces every occurrence of that value, in the error message too).';
  return [
    {
      recorded: `${test}/import-initial-material-response`,
      keys,
      before: [getParametersForImport(OAEP_256)],
      call: importKeyMaterial(randomMaterial(32), OAEP_256),
      expect: { shape: { KeyId: keyArn('external'), KeyMaterialId: MATERIAL_ID } },
      note,
    },
    {
      recorded: `${test}/import-pending-material-response`,
      keys,
      before: [...afterFirstImport, getParametersForImport(OAEP_256, 'pending-parameters')],
      call: importNew(randomMaterial(32), 'pending-parameters'),
      expect: {
        shape: {
          KeyId: keyArn('external'),
          KeyMaterialId: (context: CaseContext) => {
            const initial = materialIdOf(context, 'initial');
            return new Like('a key material id other than the initial one', (value) => MATERIAL_ID.accepts(value) && value !== initial);
          },
        },
      },
    },
    {
      recorded: `${test}/existing-pending-material-error`,
      keys,
      before: [...afterFirstImport, ...importNewMaterial(randomMaterial(32), 'pending'), getParametersForImport(OAEP_256, 'final-parameters')],
      call: importNew(randomMaterial(32), 'final-parameters'),
      expect: { error: 'KMSInvalidStateException', message: pendingRotationMessage },
      note: `${note} The id of the refused material is derived from material the case made, so only its form is compared.`,
    },
  ];
}

function pendingRotationMessage(context: CaseContext): Like {
  const pending = materialIdOf(context, 'pending');
  const prefix = 'New key material (id: ';
  const suffix =
    `) cannot be imported into KMS key ${context.key('external').Arn}, because another key material ` +
    `(id: ${String(pending)}) is pending rotation.`;
  return new Like(`${prefix}<the refused material's id>${suffix}`, (value) => {
    if (typeof value !== 'string' || !value.startsWith(prefix) || !value.endsWith(suffix)) return false;
    const refused = value.slice(prefix.length, value.length - suffix.length);
    return MATERIAL_ID.accepts(refused) && refused !== pending;
  });
}

const rotatingImportedMaterial: RecordedCase[] = [
  ...(['SYMMETRIC_DEFAULT', 'RSA_4096'] as const).flatMap((spec): RecordedCase[] => {
    const test = `test_rotate_key_on_demand_on_external_key_with_no_key_material[${spec}]`;
    const note =
      spec === 'RSA_4096'
        ? 'The test names a key spec but does not pass it to CreateKey: AWS created, and answered for, a symmetric key.'
        : undefined;
    return [
      { ...createExternalTestKey(test), ...(note ? { note } : {}) },
      {
        recorded: `${test}/rotate-key-on-demand-error-response-${spec}`,
        keys: { external: EXTERNAL_TEST_KEY },
        call: rotateExternal,
        expect: { error: 'KMSInvalidStateException', message: pendingImport('external') },
        ...(note ? { note } : {}),
      },
    ];
  }),
  ...updatesCurrentMaterial(),
  ...decryptsWithPreviousMaterial(),
  ...pendingMaterialRaises(),
  {
    recorded: 'test_rotate_key_on_demand_raises_for_no_pending_key_material/rotate-key-on-demand-invalid-state-error',
    keys: { external: EXTERNAL_TEST_KEY },
    before: imported(randomMaterial(32), OAEP_256),
    call: rotateExternal,
    expect: {
      error: 'KMSInvalidStateException',
      message: (context) => `No available key material pending rotation for the key: ${context.key('external').Arn}.`,
    },
  },
];

// --- Multi-Region keys ----------------------------------------------------------------------------------------------

/** The region LocalStack's recordings replicated to (the primary is in the case's default region). */
const REPLICA_REGION = 'ap-southeast-1';
const MRK_ID = /^mrk-[0-9a-f]{32}$/;
const replicaArn = (context: CaseContext) => context.arnOf(context.key('primary').KeyId, REPLICA_REGION);

/**
 * A member where Strongroom answers otherwise than the recording on purpose, as its documentation says: the
 * comparison accepts Strongroom's value and the description names AWS's.
 */
function documentedDifference(recorded: unknown, ours: unknown, why: string): Like {
  return new Like(
    `${JSON.stringify(recorded)}, for which Strongroom answers ${JSON.stringify(ours)} (a documented difference: ${why})`,
    (value) => isDeepStrictEqual(value, ours),
  );
}
const CREATED_COMPLETE =
  'AWS creates the replica asynchronously and shows it Creating and disabled until it is copied; Strongroom ' +
  'replicates inside one database transaction, so the replica is complete when ReplicateKey answers';

/** A list compared member by member whatever order the members of its entries come in. */
const listEqualTo = (expected: readonly unknown[]) =>
  new Like(JSON.stringify(expected), (value) => Array.isArray(value) && isDeepStrictEqual(value, expected));

function multiRegionConfiguration(type: 'PRIMARY' | 'REPLICA'): Shape {
  return {
    MultiRegionKeyType: type,
    PrimaryKey: { Arn: keyArn('primary'), Region: (context: CaseContext) => context.region },
    ReplicaKeys: (context: CaseContext) => listEqualTo([{ Arn: replicaArn(context), Region: REPLICA_REGION }]),
  };
}
const multiRegionKeyMetadata = (description: string, type: 'PRIMARY' | 'REPLICA'): Shape => ({
  ...symmetricKeyMetadata('primary', description),
  MultiRegion: true,
  MultiRegionConfiguration: multiRegionConfiguration(type),
});

/** The default key policy, which the recording shows parsed (LocalStack's snapshots parse JSON text). */
const defaultKeyPolicy = (context: CaseContext) => {
  const policy = {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${context.accountId}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  };
  return new Like(`the default key policy as JSON text (${JSON.stringify(policy)})`, (value) => {
    if (typeof value !== 'string') return false;
    try {
      return isDeepStrictEqual(JSON.parse(value) as unknown, policy);
    } catch {
      return false;
    }
  });
};

const REPLICATED = { primary: { input: { MultiRegion: true, Description: 'test replicated key' } } };
const replicate: Call = {
  operation: 'ReplicateKey',
  input: (context) => ({ KeyId: context.key('primary').KeyId, ReplicaRegion: REPLICA_REGION }),
};

const replicaKeyMetadata = (): Shape => {
  const { CurrentKeyMaterialId: _notYetShown, ...members } = multiRegionKeyMetadata('', 'REPLICA');
  return {
    ...members,
    Arn: replicaArn,
    Enabled: documentedDifference(false, true, CREATED_COMPLETE),
    KeyState: documentedDifference('Creating', 'Enabled', CREATED_COMPLETE),
  };
};

/** CreateKey's answer for a new multi-Region key, whose id (and so ARN) AWS chose: compared by form. */
function createdMultiRegionKey(description: string): Shape {
  const arn = (context: CaseContext) =>
    new Like(`an ARN in ${context.region} whose key id is mrk- and 32 hex digits`, (value) => {
      const prefix = `arn:aws:kms:${context.region}:${context.accountId}:key/`;
      return typeof value === 'string' && value.startsWith(prefix) && MRK_ID.test(value.slice(prefix.length));
    });
  return {
    ...symmetricKeyMetadata('unused', description),
    Arn: arn,
    KeyId: new Like('mrk- and 32 hex digits', (value) => typeof value === 'string' && MRK_ID.test(value)),
    MultiRegion: true,
    MultiRegionConfiguration: {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: arn, Region: (context: CaseContext) => context.region },
      ReplicaKeys: [],
    },
  };
}

const multiRegion: RecordedCase[] = [
  {
    recorded: 'test_create_multi_region_key/create_multi_region_key',
    call: { operation: 'CreateKey', input: { MultiRegion: true, Description: 'test multi region key' } },
    expect: { shape: { KeyMetadata: createdMultiRegionKey('test multi region key') } },
  },
  {
    recorded: 'test_replicate_key/describe-key-from-different-region',
    keys: REPLICATED,
    call: describe('primary', REPLICA_REGION),
    expect: { error: 'NotFoundException', message: (context) => `Key '${replicaArn(context)}' does not exist` },
    note: 'Before ReplicateKey the key id names nothing in the other region.',
  },
  {
    recorded: 'test_replicate_key/replicate-key',
    keys: REPLICATED,
    call: replicate,
    expect: { shape: { ReplicaKeyMetadata: replicaKeyMetadata(), ReplicaPolicy: defaultKeyPolicy } },
    note:
      `${CREATED_COMPLETE} (LocalStack skips these paths too). AWS sent no ReplicaTags for a request without Tags, ` +
      'and no CurrentKeyMaterialId in the replica it was still creating.',
  },
  {
    recorded: 'test_replicate_key/describe-key-from-region',
    keys: REPLICATED,
    before: [replicate],
    call: describe('primary'),
    expect: { shape: { KeyMetadata: multiRegionKeyMetadata('test replicated key', 'PRIMARY') } },
  },
  {
    recorded: 'test_replicate_key/describe-replicated-key',
    keys: REPLICATED,
    before: [replicate, describe('primary', undefined, 'primary')],
    call: describe('primary', REPLICA_REGION),
    expect: {
      shape: {
        KeyMetadata: {
          ...multiRegionKeyMetadata('', 'REPLICA'),
          Arn: replicaArn,
          CurrentKeyMaterialId: (context: CaseContext) => {
            const primary = context.output('primary')['KeyMetadata'] as { CurrentKeyMaterialId?: unknown };
            return new Like(`the primary's CurrentKeyMaterialId (${String(primary.CurrentKeyMaterialId)})`, (value) =>
              typeof value === 'string' && value === primary.CurrentKeyMaterialId,
            );
          },
        },
      },
    },
    note: 'The replica has the same key material: the recording shows the same material id in both regions.',
  },
  {
    recorded: 'test_replicate_replica_key_should_fail/fail-replicate-non-primary-key',
    keys: { primary: { input: { MultiRegion: true, Description: 'test primary key' } } },
    before: [replicate],
    call: {
      operation: 'ReplicateKey',
      region: REPLICA_REGION,
      input: (context) => ({ KeyId: context.key('primary').KeyId, ReplicaRegion: REPLICA_REGION }),
    },
    expect: { error: 'UnsupportedOperationException', message: (context) => `${replicaArn(context)} is not a multi-region primary key.` },
    note: "Sent to the replica's region, naming the replica (and its own region): AWS refuses it for not being a primary.",
  },
];

/** Every recorded answer about imported key material and multi-Region keys, in the order of LocalStack's tests. */
export const IMPORT_AND_MULTI_REGION_CASES: RecordedCase[] = [
  ...symmetricImport,
  ...asymmetricImport,
  ...rsaImport,
  ...eccImport,
  ...hmacImport,
  ...importParameters,
  ...rotatingImportedMaterial,
  ...multiRegion,
];
