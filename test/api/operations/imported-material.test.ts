import assert from 'node:assert/strict';
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  publicEncrypt,
  randomBytes,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  ListKeyRotationsCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
  type KeySpec,
  type KeyUsageType,
  type MacAlgorithmSpec,
  type SigningAlgorithmSpec,
  type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import { readTrail } from '../../audit-integration/trail-reader.js';
import { withMovableClock } from '../../support/movable-clock.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import {
  importMaterial,
  importParameters,
  keyPairMaterial,
  wrapKeyMaterial,
  wrapWithOpensslCli,
  type ImportableKeyPairSpec,
  type ImportWrappingAlgorithm,
} from './import-fixtures.js';

/**
 * Bring your own key material (issue 13, "Imported key material"), through the AWS SDK against a real server.
 * Known answers, not only round trips: material is wrapped locally (node:crypto and the openssl CLI), and what the
 * server does with it is checked against the same bytes used locally — AES-256-GCM blobs of the documented format
 * (docs/ciphertext-format.md), HMACs, signatures verified with the locally derived public key.
 */

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const MATERIAL_ID = /^[0-9a-f]{64}$/;

/** Wire timestamps are epoch seconds: dates the tests send are whole seconds, so they come back equal. */
const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
const usageFor = (spec: KeySpec): KeyUsageType =>
  spec === 'SYMMETRIC_DEFAULT' ? 'ENCRYPT_DECRYPT' : spec.startsWith('HMAC_') ? 'GENERATE_VERIFY_MAC' : 'SIGN_VERIFY';

async function createExternalKey(kms: KMSClient, spec: KeySpec = 'SYMMETRIC_DEFAULT', usage = usageFor(spec)) {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: spec, KeyUsage: usage }));
  assert.ok(KeyMetadata?.KeyId && KeyMetadata.Arn);
  return { id: KeyMetadata.KeyId, arn: KeyMetadata.Arn, created: KeyMetadata };
}

// The ciphertext blob, format version 1 (docs/ciphertext-format.md): magic "SR", version 01, ARN length and ARN,
// material id (32 bytes), 12-byte IV, AES-256-GCM ciphertext and 16-byte tag; AAD = header ‖ encoded context.
const BLOB_MAGIC_AND_VERSION = Buffer.from('535201', 'hex');
const EMPTY_CONTEXT = Buffer.alloc(4); // count 0

/** Opens a blob the server made, with the material imported into its key: AES-256-GCM with exactly those bytes. */
function openBlobLocally(blob: Uint8Array | undefined, material: Buffer): { materialId: string; plaintext: string } {
  assert.ok(blob);
  const bytes = Buffer.from(blob);
  assert.deepEqual(bytes.subarray(0, 3), BLOB_MAGIC_AND_VERSION);
  const arnLength = bytes.readUInt16BE(3);
  const headerEnd = 49 + arnLength;
  const decipher = createDecipheriv('aes-256-gcm', material, bytes.subarray(37 + arnLength, headerEnd));
  decipher.setAAD(Buffer.concat([bytes.subarray(0, headerEnd), EMPTY_CONTEXT]));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  const plaintext = Buffer.concat([decipher.update(bytes.subarray(headerEnd, bytes.length - 16)), decipher.final()]);
  return { materialId: bytes.subarray(5 + arnLength, 37 + arnLength).toString('hex'), plaintext: plaintext.toString() };
}

/** Makes a blob locally with the imported material, for the server to decrypt. */
function sealBlobLocally(keyArn: string, materialId: string, material: Buffer, plaintext: string): Buffer {
  const arn = Buffer.from(keyArn, 'utf8');
  const arnLength = Buffer.alloc(2);
  arnLength.writeUInt16BE(arn.length);
  const iv = randomBytes(12);
  const header = Buffer.concat([BLOB_MAGIC_AND_VERSION, arnLength, arn, Buffer.from(materialId, 'hex'), iv]);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([header, EMPTY_CONTEXT]));
  return Buffer.concat([header, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

const HMAC_SPECS = [
  // AWS's requirements for imported key material: at least the digest length, at most 1024 bits.
  { spec: 'HMAC_224', algorithm: 'HMAC_SHA_224', hash: 'sha224', min: 28, max: 128 },
  { spec: 'HMAC_256', algorithm: 'HMAC_SHA_256', hash: 'sha256', min: 32, max: 128 },
  { spec: 'HMAC_384', algorithm: 'HMAC_SHA_384', hash: 'sha384', min: 48, max: 128 },
  { spec: 'HMAC_512', algorithm: 'HMAC_SHA_512', hash: 'sha512', min: 64, max: 128 },
] as const satisfies ReadonlyArray<{ spec: KeySpec; algorithm: MacAlgorithmSpec; hash: string; min: number; max: number }>;

const SIGNING_SPECS = [
  { spec: 'ECC_NIST_P256', algorithm: 'ECDSA_SHA_256', hash: 'sha256', wrapping: 'RSA_AES_KEY_WRAP_SHA_256' },
  { spec: 'ECC_NIST_P384', algorithm: 'ECDSA_SHA_384', hash: 'sha384', wrapping: 'RSA_AES_KEY_WRAP_SHA_1' },
  { spec: 'ECC_NIST_P521', algorithm: 'ECDSA_SHA_512', hash: 'sha512', wrapping: 'RSA_AES_KEY_WRAP_SHA_256' },
  { spec: 'ECC_SECG_P256K1', algorithm: 'ECDSA_SHA_256', hash: 'sha256', wrapping: 'RSA_AES_KEY_WRAP_SHA_1' },
] as const satisfies ReadonlyArray<{
  spec: ImportableKeyPairSpec;
  algorithm: SigningAlgorithmSpec;
  hash: string | null;
  wrapping: ImportWrappingAlgorithm;
}>;

describe('imported key material through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  const metadataOf = async (keyId: string) => {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    assert.ok(KeyMetadata);
    return KeyMetadata;
  };
  /** The material versions the store holds for a key (wrapped bytes): deleted material must be gone from it. */
  const storedMaterialIds = async (arn: string) => (await server.node.store.keys.listMaterials(arn)).map((m) => m.id);
  const encrypt = async (keyId: string, text: string) =>
    (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(text) }))).CiphertextBlob;
  const decrypt = async (blob: Uint8Array | undefined) => {
    const answer = await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
    return { plaintext: Buffer.from(answer.Plaintext ?? []).toString(), materialId: answer.KeyMaterialId };
  };

  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  describe('keys of origin EXTERNAL', () => {
    test('CreateKey with Origin EXTERNAL makes a PendingImport key, not enabled, without material or expiration model, for every spec AWS allows', async () => {
      const specs: ReadonlyArray<[KeySpec, KeyUsageType]> = [
        ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'],
        ['HMAC_224', 'GENERATE_VERIFY_MAC'], ['HMAC_256', 'GENERATE_VERIFY_MAC'],
        ['HMAC_384', 'GENERATE_VERIFY_MAC'], ['HMAC_512', 'GENERATE_VERIFY_MAC'],
        ['RSA_2048', 'ENCRYPT_DECRYPT'], ['RSA_3072', 'SIGN_VERIFY'], ['RSA_4096', 'ENCRYPT_DECRYPT'],
        ['ECC_NIST_P256', 'SIGN_VERIFY'], ['ECC_NIST_P384', 'SIGN_VERIFY'], ['ECC_NIST_P521', 'SIGN_VERIFY'],
        ['ECC_SECG_P256K1', 'SIGN_VERIFY'],
      ];
      for (const [spec, usage] of specs) {
        const key = await createExternalKey(kms, spec, usage);
        for (const metadata of [key.created, await metadataOf(key.id)]) {
          assert.equal(metadata.KeyState, 'PendingImport', spec);
          assert.equal(metadata.Enabled, false, spec);
          assert.equal(metadata.Origin, 'EXTERNAL', spec);
          assert.equal(metadata.KeySpec, spec);
          assert.equal(metadata.KeyUsage, usage, spec);
          assert.equal(metadata.CurrentKeyMaterialId, undefined, spec);
          assert.equal(metadata.ExpirationModel, undefined, spec);
          assert.equal(metadata.ValidTo, undefined, spec);
        }
      }
    });

    test('CreateKey with Origin EXTERNAL refuses ML-DSA, Ed25519 and SM2 keys (not importable at AWS) with UnsupportedOperationException', async () => {
      for (const spec of ['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87', 'ECC_NIST_EDWARDS25519', 'SM2'] as const) {
        await assert.rejects(
          kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: spec, KeyUsage: 'SIGN_VERIFY' })),
          { name: 'UnsupportedOperationException' },
          spec,
        );
      }
    });

    test('a key pending import refuses every cryptographic operation: KMSInvalidStateException "<arn> is pending import."', async () => {
      const symmetric = await createExternalKey(kms);
      const hmac = await createExternalKey(kms, 'HMAC_256');
      const ecc = await createExternalKey(kms, 'ECC_NIST_P256');
      const pending = (arn: string) => ({ name: 'KMSInvalidStateException', message: `${arn} is pending import.` });
      const message = Buffer.from('message');
      const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId;
      const foreign = await encrypt(other ?? '', 'made by another key');
      const refusals: Array<[Promise<unknown>, string]> = [
        [kms.send(new EncryptCommand({ KeyId: symmetric.id, Plaintext: message })), symmetric.arn],
        [kms.send(new GenerateDataKeyCommand({ KeyId: symmetric.id, KeySpec: 'AES_256' })), symmetric.arn],
        [kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: symmetric.id, KeySpec: 'AES_256' })), symmetric.arn],
        [kms.send(new ReEncryptCommand({ CiphertextBlob: foreign, DestinationKeyId: symmetric.id })), symmetric.arn],
        [kms.send(new GenerateMacCommand({ KeyId: hmac.id, MacAlgorithm: 'HMAC_SHA_256', Message: message })), hmac.arn],
        [kms.send(new VerifyMacCommand({ KeyId: hmac.id, MacAlgorithm: 'HMAC_SHA_256', Message: message, Mac: Buffer.alloc(32) })), hmac.arn],
        [kms.send(new SignCommand({ KeyId: ecc.id, SigningAlgorithm: 'ECDSA_SHA_256', Message: message })), ecc.arn],
        [kms.send(new VerifyCommand({ KeyId: ecc.id, SigningAlgorithm: 'ECDSA_SHA_256', Message: message, Signature: Buffer.alloc(72) })), ecc.arn],
        [kms.send(new GetPublicKeyCommand({ KeyId: ecc.id })), ecc.arn],
      ];
      for (const [refused, arn] of refusals) await assert.rejects(refused, pending(arn));
    });
  });

  describe('GetParametersForImport', () => {
    test('answers the key ARN, an opaque token, a fresh RSA wrapping key of the asked size, valid for 24 hours', async () => {
      const key = await createExternalKey(kms);
      const cases: ReadonlyArray<[ImportWrappingAlgorithm, WrappingKeySpec, number]> = [
        ['RSAES_OAEP_SHA_1', 'RSA_2048', 2048],
        ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_3072', 3072],
        ['RSAES_OAEP_SHA_256', 'RSA_4096', 4096],
      ];
      const publicKeys = new Set<string>();
      for (const [algorithm, wrappingKeySpec, bits] of cases) {
        const asked = Date.now();
        const parameters = await importParameters(kms, key.id, algorithm, wrappingKeySpec);
        assert.equal(parameters.keyArn, key.arn);
        assert.ok(parameters.token.length > 0);
        const wrappingKey = createPublicKey({ key: parameters.publicKey, format: 'der', type: 'spki' });
        assert.equal(wrappingKey.asymmetricKeyType, 'rsa');
        assert.equal(wrappingKey.asymmetricKeyDetails?.modulusLength, bits);
        const validTo = parameters.validTo.getTime();
        assert.ok(validTo >= asked + DAY - 1000 && validTo <= Date.now() + DAY, `ParametersValidTo is 24 hours ahead (${wrappingKeySpec})`);
        publicKeys.add(parameters.publicKey.toString('hex'));
      }
      const again = await importParameters(kms, key.id, 'RSAES_OAEP_SHA_1', 'RSA_2048');
      publicKeys.add(again.publicKey.toString('hex'));
      assert.equal(publicKeys.size, cases.length + 1, 'every call gives a fresh wrapping key pair');
    });

    test('a key of origin AWS_KMS is UnsupportedOperationException "<arn> origin is AWS_KMS which is not valid for this operation."', async () => {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      await assert.rejects(
        kms.send(new GetParametersForImportCommand({ KeyId: KeyMetadata?.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })),
        { name: 'UnsupportedOperationException', message: `${KeyMetadata?.Arn} origin is AWS_KMS which is not valid for this operation.` },
      );
    });
  });

  describe('wrapping and material formats (known answers)', () => {
    for (const algorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'] as const) {
      test(`symmetric material wrapped locally with ${algorithm} imports, and the key then encrypts as AES-256-GCM with exactly those bytes`, async () => {
        const key = await createExternalKey(kms);
        const material = randomBytes(32);
        const imported = await importMaterial(kms, key.id, material, { algorithm });
        assert.equal(imported.KeyId, key.arn);
        assert.match(imported.KeyMaterialId ?? '', MATERIAL_ID);
        const metadata = await metadataOf(key.id);
        assert.equal(metadata.KeyState, 'Enabled');
        assert.equal(metadata.Enabled, true);
        assert.equal(metadata.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
        assert.equal(metadata.ValidTo, undefined);
        assert.equal(metadata.CurrentKeyMaterialId, imported.KeyMaterialId);

        const opened = openBlobLocally(await encrypt(key.id, `sealed by KMS (${algorithm})`), material);
        assert.deepEqual(opened, { materialId: imported.KeyMaterialId, plaintext: `sealed by KMS (${algorithm})` });
        const sealed = sealBlobLocally(key.arn, imported.KeyMaterialId ?? '', material, 'sealed locally');
        assert.deepEqual(await decrypt(sealed), { plaintext: 'sealed locally', materialId: imported.KeyMaterialId });
      });
    }

    test('material wrapped with the openssl CLI as AWS documents imports (RSAES_OAEP_SHA_256, and RSA_AES_KEY_WRAP_SHA_256 for a private key)', async () => {
      const symmetric = await createExternalKey(kms);
      const material = randomBytes(32);
      const oaep = await importParameters(kms, symmetric.id, 'RSAES_OAEP_SHA_256', 'RSA_4096');
      const imported = await kms.send(new ImportKeyMaterialCommand({
        KeyId: symmetric.id,
        ImportToken: oaep.token,
        EncryptedKeyMaterial: wrapWithOpensslCli(oaep.publicKey, material),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }));
      const opened = openBlobLocally(await encrypt(symmetric.id, 'wrapped by openssl'), material);
      assert.deepEqual(opened, { materialId: imported.KeyMaterialId, plaintext: 'wrapped by openssl' });

      const ecc = await createExternalKey(kms, 'ECC_NIST_P256');
      const pair = keyPairMaterial('ECC_NIST_P256');
      const keyWrap = await importParameters(kms, ecc.id, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_3072');
      await kms.send(new ImportKeyMaterialCommand({
        KeyId: ecc.id,
        ImportToken: keyWrap.token,
        EncryptedKeyMaterial: wrapWithOpensslCli(keyWrap.publicKey, pair.pkcs8, true),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }));
      const message = Buffer.from('signed with a key wrapped by openssl');
      const { Signature } = await kms.send(new SignCommand({ KeyId: ecc.id, SigningAlgorithm: 'ECDSA_SHA_256', Message: message }));
      assert.ok(Signature);
      assert.equal(nodeVerify('sha256', message, { key: pair.publicKey, dsaEncoding: 'der' }, Signature), true);
    });

    test('symmetric material that is not exactly 32 bytes is IncorrectKeyMaterialException', async () => {
      const key = await createExternalKey(kms);
      const parameters = await importParameters(kms, key.id);
      for (const size of [16, 31, 33, 64]) {
        await assert.rejects(kms.send(new ImportKeyMaterialCommand({
          KeyId: key.id,
          ImportToken: parameters.token,
          EncryptedKeyMaterial: wrapKeyMaterial('RSAES_OAEP_SHA_256', parameters.publicKey, randomBytes(size)),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        })), { name: 'IncorrectKeyMaterialException' }, `${size} bytes`);
      }
      assert.equal((await metadataOf(key.id)).KeyState, 'PendingImport');
    });

    test('GenerateMac of an imported HMAC key equals HMAC computed locally over the same bytes, at both ends of each spec\'s length range', async () => {
      const message = Buffer.from('a message authenticated by imported bytes');
      for (const { spec, algorithm, hash, min, max } of HMAC_SPECS) {
        for (const length of [min, max]) {
          const key = await createExternalKey(kms, spec);
          const material = randomBytes(length);
          // Both wrapping families: OAEP alone for the shortest material, AES key wrap for the longest.
          await importMaterial(kms, key.id, material, { algorithm: length === max ? 'RSA_AES_KEY_WRAP_SHA_256' : 'RSAES_OAEP_SHA_1' });
          assert.equal((await metadataOf(key.id)).CurrentKeyMaterialId, undefined, 'CurrentKeyMaterialId is for symmetric keys only');
          const expected = createHmac(hash, material).update(message).digest();
          const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: key.id, MacAlgorithm: algorithm, Message: message }));
          assert.deepEqual(Buffer.from(Mac ?? []), expected, `${spec}, ${length} bytes`);
          const verified = await kms.send(new VerifyMacCommand({ KeyId: key.arn, MacAlgorithm: algorithm, Message: message, Mac: expected }));
          assert.equal(verified.MacValid, true);
        }
      }
    });

    test('HMAC material outside the spec\'s length range is IncorrectKeyMaterialException', async () => {
      for (const { spec, min, max } of HMAC_SPECS) {
        const key = await createExternalKey(kms, spec);
        const parameters = await importParameters(kms, key.id, 'RSA_AES_KEY_WRAP_SHA_256');
        for (const length of [min - 1, max + 1]) {
          await assert.rejects(kms.send(new ImportKeyMaterialCommand({
            KeyId: key.id,
            ImportToken: parameters.token,
            EncryptedKeyMaterial: wrapKeyMaterial('RSA_AES_KEY_WRAP_SHA_256', parameters.publicKey, randomBytes(length)),
            ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
          })), { name: 'IncorrectKeyMaterialException' }, `${spec}, ${length} bytes`);
        }
      }
    });

    for (const { spec, algorithm, hash, wrapping } of SIGNING_SPECS) {
      test(`an imported ${spec} private key signs verifiably with the locally derived public key, and GetPublicKey equals that SPKI`, async () => {
        const key = await createExternalKey(kms, spec);
        const pair = keyPairMaterial(spec);
        await importMaterial(kms, key.id, pair.pkcs8, { algorithm: wrapping });
        const metadata = await metadataOf(key.id);
        assert.equal(metadata.KeyState, 'Enabled');
        assert.equal(metadata.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
        assert.equal(metadata.CurrentKeyMaterialId, undefined, 'CurrentKeyMaterialId is for symmetric keys only');
        const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: key.id }));
        assert.deepEqual(Buffer.from(PublicKey ?? []), pair.spki);

        const message = Buffer.from(`release v1.0, signed with an imported ${spec} key`);
        const { Signature } = await kms.send(new SignCommand({ KeyId: key.id, SigningAlgorithm: algorithm, Message: message, MessageType: 'RAW' }));
        assert.ok(Signature);
        const verifier = hash === null ? pair.publicKey : { key: pair.publicKey, dsaEncoding: 'der' as const };
        assert.equal(nodeVerify(hash, message, verifier, Signature), true);
        assert.equal(nodeVerify(hash, Buffer.concat([message, Buffer.from('!')]), verifier, Signature), false);

        // And the other way: a signature made locally with the imported private key verifies in KMS.
        const privateKey = createPrivateKey({ key: pair.pkcs8, format: 'der', type: 'pkcs8' });
        const local = nodeSign(hash, message, hash === null ? privateKey : { key: privateKey, dsaEncoding: 'der' });
        const verified = await kms.send(new VerifyCommand({ KeyId: key.id, SigningAlgorithm: algorithm, Message: message, Signature: local }));
        assert.equal(verified.SignatureValid, true);
      });
    }

    test('an imported RSA private key signs and decrypts as its locally derived public key expects', async () => {
      const signing = await createExternalKey(kms, 'RSA_2048', 'SIGN_VERIFY');
      const signingPair = keyPairMaterial('RSA_2048');
      await importMaterial(kms, signing.id, signingPair.pkcs8, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_4096' });
      assert.deepEqual(Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId: signing.id }))).PublicKey ?? []), signingPair.spki);
      const message = Buffer.from('signed with an imported RSA key');
      const pss = await kms.send(new SignCommand({ KeyId: signing.id, SigningAlgorithm: 'RSASSA_PSS_SHA_256', Message: message }));
      assert.equal(nodeVerify('sha256', message, {
        key: signingPair.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      }, pss.Signature ?? Buffer.alloc(0)), true);
      const pkcs1 = await kms.send(new SignCommand({ KeyId: signing.id, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256', Message: message }));
      // PKCS#1 v1.5 signatures are deterministic: the signature is the one the private key makes locally.
      const privateKey = createPrivateKey({ key: signingPair.pkcs8, format: 'der', type: 'pkcs8' });
      assert.deepEqual(Buffer.from(pkcs1.Signature ?? []), nodeSign('sha256', message, privateKey));

      const decrypting = await createExternalKey(kms, 'RSA_3072', 'ENCRYPT_DECRYPT');
      const decryptingPair = keyPairMaterial('RSA_3072');
      await importMaterial(kms, decrypting.id, decryptingPair.pkcs8, { algorithm: 'RSA_AES_KEY_WRAP_SHA_1' });
      const ciphertext = publicEncrypt(
        { key: decryptingPair.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        Buffer.from('encrypted locally for the imported key'),
      );
      const decrypted = await kms.send(new DecryptCommand({ KeyId: decrypting.id, CiphertextBlob: ciphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
      assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'encrypted locally for the imported key');
    });

    test('a private key of another spec or kind is IncorrectKeyMaterialException', async () => {
      const cases: ReadonlyArray<[ImportableKeyPairSpec, readonly Buffer[]]> = [
        ['ECC_NIST_P256', [
          keyPairMaterial('ECC_NIST_P384').pkcs8,
          keyPairMaterial('ECC_SECG_P256K1').pkcs8,
          keyPairMaterial('ECC_NIST_EDWARDS25519').pkcs8,
          keyPairMaterial('RSA_2048').pkcs8,
          randomBytes(32),
        ]],
        ['RSA_2048', [keyPairMaterial('RSA_3072').pkcs8, keyPairMaterial('ECC_NIST_P256').pkcs8]],
      ];
      for (const [spec, wrongs] of cases) {
        const key = await createExternalKey(kms, spec);
        const parameters = await importParameters(kms, key.id, 'RSA_AES_KEY_WRAP_SHA_256');
        for (const [index, wrong] of wrongs.entries()) {
          await assert.rejects(kms.send(new ImportKeyMaterialCommand({
            KeyId: key.id,
            ImportToken: parameters.token,
            EncryptedKeyMaterial: wrapKeyMaterial('RSA_AES_KEY_WRAP_SHA_256', parameters.publicKey, wrong),
            ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
          })), { name: 'IncorrectKeyMaterialException' }, `${spec}, wrong material #${index}`);
        }
      }
    });
  });

  describe('ImportKeyMaterial refusals', () => {
    test('bytes that do not unwrap with the import parameters are InvalidCiphertextException', async () => {
      const key = await createExternalKey(kms);
      const oaep = await importParameters(kms, key.id, 'RSAES_OAEP_SHA_256');
      const keyWrap = await importParameters(kms, key.id, 'RSA_AES_KEY_WRAP_SHA_256');
      const material = randomBytes(32);
      const wrappedWithKeyWrap = wrapKeyMaterial('RSA_AES_KEY_WRAP_SHA_256', keyWrap.publicKey, material);
      const attempts: ReadonlyArray<[Uint8Array, Buffer, string]> = [
        [oaep.token, randomBytes(256), 'random bytes'],
        [oaep.token, wrapKeyMaterial('RSAES_OAEP_SHA_1', oaep.publicKey, material), 'OAEP with SHA-1 for SHA-256 parameters'],
        [oaep.token, wrapKeyMaterial('RSAES_OAEP_SHA_256', keyWrap.publicKey, material), 'wrapped for other parameters'],
        [keyWrap.token, wrappedWithKeyWrap.subarray(0, wrappedWithKeyWrap.length - 8), 'a truncated AES key wrap'],
      ];
      for (const [token, wrapped, what] of attempts) {
        await assert.rejects(kms.send(new ImportKeyMaterialCommand({
          KeyId: key.id, ImportToken: token, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        })), { name: 'InvalidCiphertextException' }, what);
      }
      assert.equal((await metadataOf(key.id)).KeyState, 'PendingImport');
    });

    test('an import token of another key is InvalidImportTokenException', async () => {
      const issuedFor = await createExternalKey(kms);
      const target = await createExternalKey(kms);
      const parameters = await importParameters(kms, issuedFor.id);
      await assert.rejects(kms.send(new ImportKeyMaterialCommand({
        KeyId: target.id,
        ImportToken: parameters.token,
        EncryptedKeyMaterial: wrapKeyMaterial('RSAES_OAEP_SHA_256', parameters.publicKey, randomBytes(32)),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      })), { name: 'InvalidImportTokenException' });
      assert.equal((await metadataOf(target.id)).KeyState, 'PendingImport');
    });

    test('import parameters can be used more than once until they expire', async () => {
      const key = await createExternalKey(kms);
      const parameters = await importParameters(kms, key.id);
      const request = {
        KeyId: key.id,
        ImportToken: parameters.token,
        EncryptedKeyMaterial: wrapKeyMaterial('RSAES_OAEP_SHA_256', parameters.publicKey, randomBytes(32)),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      } as const;
      const first = await kms.send(new ImportKeyMaterialCommand(request));
      await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.id }));
      const second = await kms.send(new ImportKeyMaterialCommand(request));
      assert.equal(second.KeyMaterialId, first.KeyMaterialId);
      assert.equal((await metadataOf(key.id)).KeyState, 'Enabled');
    });

    test('KEY_MATERIAL_EXPIRES (also as the default ExpirationModel) without ValidTo is ValidationException', async () => {
      const key = await createExternalKey(kms);
      const missing = { name: 'ValidationException', message: 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES' };
      await assert.rejects(importMaterial(kms, key.id, randomBytes(32), { request: { ExpirationModel: undefined } }), missing);
      await assert.rejects(importMaterial(kms, key.id, randomBytes(32), { request: { ExpirationModel: 'KEY_MATERIAL_EXPIRES' } }), missing);
      assert.equal((await metadataOf(key.id)).KeyState, 'PendingImport');
    });

    test('ValidTo must be in the future and at most 365 days ahead; the key then shows KEY_MATERIAL_EXPIRES and its ValidTo', async () => {
      const key = await createExternalKey(kms);
      const material = randomBytes(32);
      for (const validTo of [wholeSeconds(Date.now() - 60_000), wholeSeconds(Date.now() + 366 * DAY)]) {
        await assert.rejects(
          importMaterial(kms, key.id, material, { request: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo } }),
          { name: 'ValidationException' },
          validTo.toISOString(),
        );
      }
      // ExpirationModel omitted: KEY_MATERIAL_EXPIRES, with the ValidTo given.
      const validTo = wholeSeconds(Date.now() + 364 * DAY);
      await importMaterial(kms, key.id, material, { request: { ExpirationModel: undefined, ValidTo: validTo } });
      const metadata = await metadataOf(key.id);
      assert.equal(metadata.KeyState, 'Enabled');
      assert.equal(metadata.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
      assert.equal(metadata.ValidTo?.getTime(), validTo.getTime());
    });

    test('ImportType, KeyMaterialId and KeyMaterialDescription on a key that is not symmetric are ValidationException', async () => {
      const key = await createExternalKey(kms, 'HMAC_256');
      const material = randomBytes(32);
      const extras = [
        { ImportType: 'NEW_KEY_MATERIAL' },
        { ImportType: 'EXISTING_KEY_MATERIAL' },
        { KeyMaterialId: 'a'.repeat(64) },
        { KeyMaterialDescription: 'my HMAC material' },
      ] as const;
      for (const extra of extras) {
        await assert.rejects(importMaterial(kms, key.id, material, { request: extra }), { name: 'ValidationException' }, JSON.stringify(extra));
      }
      assert.equal((await metadataOf(key.id)).KeyState, 'PendingImport');
    });
  });

  describe('re-import and DeleteImportedKeyMaterial', () => {
    test('the KeyMaterialId is derived from the key and the material: the same in the same key, another in another key', async () => {
      const material = randomBytes(32);
      const first = await createExternalKey(kms);
      const second = await createExternalKey(kms);
      const once = await importMaterial(kms, first.id, material);
      await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: first.id }));
      const again = await importMaterial(kms, first.id, material, { algorithm: 'RSA_AES_KEY_WRAP_SHA_1' });
      const elsewhere = await importMaterial(kms, second.id, material);
      assert.match(once.KeyMaterialId ?? '', MATERIAL_ID);
      assert.equal(again.KeyMaterialId, once.KeyMaterialId);
      assert.notEqual(elsewhere.KeyMaterialId, once.KeyMaterialId);
    });

    test('DeleteImportedKeyMaterial makes the key PendingImport and removes the material from the store; the same material restores it, and older ciphertexts decrypt again', async () => {
      const key = await createExternalKey(kms);
      const material = randomBytes(32);
      const imported = await importMaterial(kms, key.id, material);
      const materialId = imported.KeyMaterialId ?? '';
      const before = await encrypt(key.id, 'made before the deletion');
      assert.ok((await storedMaterialIds(key.arn)).includes(materialId));

      const deleted = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.id }));
      assert.deepEqual({ KeyId: deleted.KeyId, KeyMaterialId: deleted.KeyMaterialId }, { KeyId: key.arn, KeyMaterialId: materialId });
      const metadata = await metadataOf(key.id);
      assert.equal(metadata.KeyState, 'PendingImport');
      assert.equal(metadata.Enabled, false);
      assert.equal(metadata.ExpirationModel, undefined);
      assert.deepEqual(await storedMaterialIds(key.arn), [], 'deleted means gone from the store');
      const pending = { name: 'KMSInvalidStateException', message: `${key.arn} is pending import.` };
      await assert.rejects(kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('x') })), pending);
      await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: before })), pending);

      await assert.rejects(importMaterial(kms, key.id, randomBytes(32)), { name: 'IncorrectKeyMaterialException' });
      assert.equal((await metadataOf(key.id)).KeyState, 'PendingImport');

      const restored = await importMaterial(kms, key.id, material, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' });
      assert.equal(restored.KeyMaterialId, materialId);
      assert.equal((await metadataOf(key.id)).KeyState, 'Enabled');
      assert.deepEqual(await decrypt(before), { plaintext: 'made before the deletion', materialId });
    });

    test('an asymmetric key whose private key was deleted takes back only the same private key', async () => {
      const key = await createExternalKey(kms, 'ECC_NIST_P256');
      const pair = keyPairMaterial('ECC_NIST_P256');
      await importMaterial(kms, key.id, pair.pkcs8, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' });
      const deleted = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.arn }));
      assert.equal(deleted.KeyId, key.arn);
      assert.equal((await metadataOf(key.id)).KeyState, 'PendingImport');
      await assert.rejects(kms.send(new SignCommand({ KeyId: key.id, SigningAlgorithm: 'ECDSA_SHA_256', Message: Buffer.from('x') })), {
        name: 'KMSInvalidStateException', message: `${key.arn} is pending import.`,
      });
      await assert.rejects(
        importMaterial(kms, key.id, keyPairMaterial('ECC_NIST_P256').pkcs8, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' }),
        { name: 'IncorrectKeyMaterialException' },
      );
      await importMaterial(kms, key.id, pair.pkcs8, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' });
      assert.equal((await metadataOf(key.id)).KeyState, 'Enabled');
      assert.deepEqual(Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId: key.id }))).PublicKey ?? []), pair.spki);
    });

    test('DeleteImportedKeyMaterial on a key of origin AWS_KMS is UnsupportedOperationException', async () => {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      await assert.rejects(kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: KeyMetadata?.KeyId })), {
        name: 'UnsupportedOperationException',
        message: `${KeyMetadata?.Arn} origin is AWS_KMS which is not valid for this operation.`,
      });
    });

    test('DeleteImportedKeyMaterial leaves a key that is pending deletion PendingDeletion', async () => {
      const key = await createExternalKey(kms);
      await importMaterial(kms, key.id, randomBytes(32));
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
      await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.id }));
      assert.equal((await metadataOf(key.id)).KeyState, 'PendingDeletion');
      assert.deepEqual(await storedMaterialIds(key.arn), []);
    });

    test('ImportType omitted is NEW_KEY_MATERIAL for the first import and EXISTING_KEY_MATERIAL afterwards; re-importing the same material sets its expiration anew', async () => {
      const key = await createExternalKey(kms);
      const material = randomBytes(32);
      const first = await importMaterial(kms, key.id, material);
      // As EXISTING_KEY_MATERIAL, other bytes are not the key's material.
      await assert.rejects(importMaterial(kms, key.id, randomBytes(32)), { name: 'IncorrectKeyMaterialException' });
      const validTo = wholeSeconds(Date.now() + 30 * DAY);
      const again = await importMaterial(kms, key.id, material, { request: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo } });
      assert.equal(again.KeyMaterialId, first.KeyMaterialId);
      const metadata = await metadataOf(key.id);
      assert.equal(metadata.CurrentKeyMaterialId, first.KeyMaterialId);
      assert.equal(metadata.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
      assert.equal(metadata.ValidTo?.getTime(), validTo.getTime());
    });
  });

  describe('rotation of imported material (symmetric keys)', () => {
    test('NEW_KEY_MATERIAL on a key with material waits as PENDING_ROTATION; RotateKeyOnDemand makes it current, and older ciphertexts still decrypt', async () => {
      const key = await createExternalKey(kms);
      const firstMaterial = randomBytes(32);
      const secondMaterial = randomBytes(32);
      const first = (await importMaterial(kms, key.id, firstMaterial)).KeyMaterialId ?? '';
      const older = await encrypt(key.id, 'under the first material');
      const second = (await importMaterial(kms, key.id, secondMaterial, { request: { ImportType: 'NEW_KEY_MATERIAL' } })).KeyMaterialId ?? '';
      assert.match(second, MATERIAL_ID);
      assert.notEqual(second, first);
      assert.equal((await metadataOf(key.id)).CurrentKeyMaterialId, first, 'pending material is not current yet');
      assert.deepEqual(openBlobLocally(await encrypt(key.id, 'still the first'), firstMaterial), { materialId: first, plaintext: 'still the first' });

      const rotated = await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id }));
      assert.equal(rotated.KeyId, key.arn);
      assert.equal((await metadataOf(key.id)).CurrentKeyMaterialId, second);
      assert.deepEqual(openBlobLocally(await encrypt(key.id, 'now the second'), secondMaterial), { materialId: second, plaintext: 'now the second' });
      assert.deepEqual(await decrypt(older), { plaintext: 'under the first material', materialId: first });
    });

    test('a second NEW_KEY_MATERIAL import while one is pending rotation is KMSInvalidStateException', async () => {
      const key = await createExternalKey(kms);
      await importMaterial(kms, key.id, randomBytes(32));
      const pending = (await importMaterial(kms, key.id, randomBytes(32), { request: { ImportType: 'NEW_KEY_MATERIAL' } })).KeyMaterialId ?? '';
      await assert.rejects(importMaterial(kms, key.id, randomBytes(32), { request: { ImportType: 'NEW_KEY_MATERIAL' } }), {
        name: 'KMSInvalidStateException',
        message: new RegExp(
          `^New key material \\(id: [0-9a-f]{64}\\) cannot be imported into KMS key ${key.arn}, ` +
            `because another key material \\(id: ${pending}\\) is pending rotation\\.$`,
        ),
      });
    });

    test('RotateKeyOnDemand of an imported key is KMSInvalidStateException with nothing pending rotation, and while pending import', async () => {
      const key = await createExternalKey(kms);
      await assert.rejects(kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id })), {
        name: 'KMSInvalidStateException', message: `${key.arn} is pending import.`,
      });
      await importMaterial(kms, key.id, randomBytes(32));
      await assert.rejects(kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id })), {
        name: 'KMSInvalidStateException', message: `No available key material pending rotation for the key: ${key.arn}.`,
      });
    });

    test('ListKeyRotations lists each imported material with its import state, material state, expiration and rotation', async () => {
      const key = await createExternalKey(kms);
      const first = (await importMaterial(kms, key.id, randomBytes(32), { request: { KeyMaterialDescription: 'from the HSM: 2024' } })).KeyMaterialId;
      const validTo = wholeSeconds(Date.now() + 90 * DAY);
      const second = (await importMaterial(kms, key.id, randomBytes(32), {
        request: { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'from the HSM: 2025', ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo },
      })).KeyMaterialId;
      const list = async () =>
        (await kms.send(new ListKeyRotationsCommand({ KeyId: key.id, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations ?? [];

      const pending = await list();
      assert.equal(pending.length, 2);
      assert.deepEqual(pending.map((entry) => ({
        KeyId: entry.KeyId, KeyMaterialId: entry.KeyMaterialId, KeyMaterialDescription: entry.KeyMaterialDescription,
        ImportState: entry.ImportState, KeyMaterialState: entry.KeyMaterialState, ExpirationModel: entry.ExpirationModel,
        ValidTo: entry.ValidTo?.getTime(), RotationType: entry.RotationType, RotationDate: entry.RotationDate,
      })), [
        { KeyId: key.id, KeyMaterialId: first, KeyMaterialDescription: 'from the HSM: 2024', ImportState: 'IMPORTED',
          KeyMaterialState: 'CURRENT', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: undefined, RotationType: undefined, RotationDate: undefined },
        { KeyId: key.id, KeyMaterialId: second, KeyMaterialDescription: 'from the HSM: 2025', ImportState: 'IMPORTED',
          KeyMaterialState: 'PENDING_ROTATION', ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo.getTime(), RotationType: undefined, RotationDate: undefined },
      ]);

      const rotatedAt = Date.now();
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id }));
      const rotated = await list();
      assert.deepEqual(rotated.map((entry) => [entry.KeyMaterialId, entry.KeyMaterialState]), [[first, 'NON_CURRENT'], [second, 'CURRENT']]);
      assert.equal(rotated[0]?.RotationType, undefined);
      assert.equal(rotated[1]?.RotationType, 'ON_DEMAND');
      const rotationDate = rotated[1]?.RotationDate?.getTime() ?? 0;
      assert.ok(rotationDate >= rotatedAt - 1000 && rotationDate <= Date.now() + 1000);
    });

    test('DeleteImportedKeyMaterial with a KeyMaterialId deletes that material only; it is re-imported as EXISTING_KEY_MATERIAL with its id', async () => {
      const key = await createExternalKey(kms);
      const firstMaterial = randomBytes(32);
      const secondMaterial = randomBytes(32);
      const first = (await importMaterial(kms, key.id, firstMaterial)).KeyMaterialId ?? '';
      const older = await encrypt(key.id, 'under the first material');
      const second = (await importMaterial(kms, key.id, secondMaterial, { request: { ImportType: 'NEW_KEY_MATERIAL' } })).KeyMaterialId ?? '';
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id }));

      const deleted = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.id, KeyMaterialId: first }));
      assert.deepEqual({ KeyId: deleted.KeyId, KeyMaterialId: deleted.KeyMaterialId }, { KeyId: key.arn, KeyMaterialId: first });
      assert.deepEqual(await storedMaterialIds(key.arn), [second]);
      const rotations = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.id, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations ?? [];
      assert.deepEqual(rotations.map((entry) => [entry.KeyMaterialId, entry.ImportState]), [[first, 'PENDING_IMPORT'], [second, 'IMPORTED']]);
      assert.equal((await metadataOf(key.id)).KeyState, 'PendingImport');

      // The id names the material: other bytes under the first one's id are not it.
      await assert.rejects(
        importMaterial(kms, key.id, secondMaterial, { request: { ImportType: 'EXISTING_KEY_MATERIAL', KeyMaterialId: first } }),
        { name: 'IncorrectKeyMaterialException' },
      );
      const restored = await importMaterial(kms, key.id, firstMaterial, { request: { ImportType: 'EXISTING_KEY_MATERIAL', KeyMaterialId: first } });
      assert.equal(restored.KeyMaterialId, first);
      assert.equal((await metadataOf(key.id)).KeyState, 'Enabled');
      assert.deepEqual(await decrypt(older), { plaintext: 'under the first material', materialId: first });

      // Without a KeyMaterialId, the current material is the one deleted.
      const current = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.id }));
      assert.equal(current.KeyMaterialId, second);
      assert.deepEqual(await storedMaterialIds(key.arn), [first]);
    });
  });
});

describe('imported key material over time (the server\'s clock moved)', () => {
  test('an import token past its 24 hours is ExpiredImportTokenException', async () => {
    await withMovableClock({}, async (clock) => {
      const key = await createExternalKey(clock.kms());
      const parameters = await importParameters(clock.kms(), key.id);
      const request = {
        KeyId: key.id,
        ImportToken: parameters.token,
        EncryptedKeyMaterial: wrapKeyMaterial('RSAES_OAEP_SHA_256', parameters.publicKey, randomBytes(32)),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      } as const;
      clock.moveBy(DAY + 60_000);
      await assert.rejects(clock.kms().send(new ImportKeyMaterialCommand(request)), { name: 'ExpiredImportTokenException' });
      const fresh = await importMaterial(clock.kms(), key.id, randomBytes(32));
      assert.match(fresh.KeyMaterialId ?? '', MATERIAL_ID);
    });
  });

  test('at ValidTo the background job deletes the material, records DeleteExpiredKeyMaterial, and leaves the key PendingImport until the same material is imported again', async () => {
    await withMovableClock({ audit: true }, async (clock) => {
      const kms = clock.kms();
      const key = await createExternalKey(kms);
      const material = randomBytes(32);
      const validTo = wholeSeconds(clock.now() + DAY);
      const imported = await importMaterial(kms, key.id, material, { request: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo } });
      const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('made before expiry') }));

      clock.moveBy(12 * HOUR);
      assert.deepEqual(await clock.server.node.runDueJobs(), [], 'nothing expires before ValidTo');
      clock.moveBy(DAY);
      const done = await clock.server.node.runDueJobs();
      assert.deepEqual(done.map((event) => [event.eventName, event.key.arn]), [['DeleteExpiredKeyMaterial', key.arn]]);

      const later = clock.kms();
      const metadata = (await later.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata;
      assert.equal(metadata?.KeyState, 'PendingImport');
      assert.equal(metadata?.Enabled, false);
      assert.deepEqual((await clock.server.node.store.keys.listMaterials(key.arn)).map((m) => m.id), []);
      await assert.rejects(later.send(new DecryptCommand({ CiphertextBlob })), {
        name: 'KMSInvalidStateException', message: `${key.arn} is pending import.`,
      });
      const recorded = readTrail(clock.server.dataDir)
        .filter((event) => event.eventType === 'AwsServiceEvent' && event.eventName === 'DeleteExpiredKeyMaterial');
      assert.deepEqual(recorded.map((event) => event.resources?.[0]?.ARN), [key.arn]);

      const restored = await importMaterial(later, key.id, material);
      assert.equal(restored.KeyMaterialId, imported.KeyMaterialId);
      const decrypted = await later.send(new DecryptCommand({ CiphertextBlob }));
      assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'made before expiry');
    });
  });
});
