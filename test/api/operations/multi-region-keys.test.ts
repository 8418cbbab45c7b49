import assert from 'node:assert/strict';
import { constants, createHmac, createPublicKey, randomBytes, verify as nodeVerify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  ListGrantsCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ListKeyRotationsCommand,
  DeleteImportedKeyMaterialCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagResourceCommand,
  UpdateKeyDescriptionCommand,
  UpdatePrimaryRegionCommand,
  VerifyCommand,
  VerifyMacCommand,
  type CreateKeyCommandInput,
  type KeyMetadata,
  type MultiRegionConfiguration,
  type ReplicateKeyCommandInput,
} from '@aws-sdk/client-kms';
import { defaultKeyPolicy } from '../../../src/keys/default-key-policy.js';
import { allowPolicy, createUser } from '../../authz/principals.js';
import { withMovableClock } from '../../support/movable-clock.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { importMaterial, importParameters, wrapKeyMaterial } from './import-fixtures.js';

/**
 * Multi-Region keys (issue 13, "Multi-Region keys"), through the AWS SDK against a real server that serves every
 * region: ids and configuration, ReplicateKey's answer, the shared key material (ciphertexts, MACs and signatures
 * cross regions), shared rotation, independent properties, UpdatePrimaryRegion, deletion, errors, authorization.
 */

const PRIMARY = 'us-east-1';
const REPLICA = 'eu-west-1';
const THIRD = 'ap-southeast-1';
const DAY = 24 * 60 * 60 * 1000;
const MRK_ID = /^mrk-[0-9a-f]{32}$/;

/** The configuration with its replicas in a stable order (the tests do not depend on AWS's listing order). */
function sortedConfiguration(configuration: MultiRegionConfiguration | undefined) {
  assert.ok(configuration);
  const replicas = [...(configuration.ReplicaKeys ?? [])].sort((a, b) => ((a.Region ?? '') < (b.Region ?? '') ? -1 : 1));
  return { ...configuration, ReplicaKeys: replicas };
}

describe('multi-Region keys through the AWS SDK', () => {
  let server: TestServer;
  const clients = new Map<string, KMSClient>();
  /** The administrator's client for a region: the region of a request is the one its signature names. */
  const kmsIn = (region: string): KMSClient => {
    const existing = clients.get(region);
    if (existing) return existing;
    const client = server.kms(region);
    clients.set(region, client);
    return client;
  };
  const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${server.accountId}:key/${keyId}`;
  const newMultiRegionKey = async (input: Partial<CreateKeyCommandInput> = {}) => {
    const { KeyMetadata } = await kmsIn(PRIMARY).send(new CreateKeyCommand({ MultiRegion: true, ...input }));
    assert.ok(KeyMetadata?.KeyId && KeyMetadata.Arn);
    return { id: KeyMetadata.KeyId, arn: KeyMetadata.Arn, created: KeyMetadata };
  };
  /** ReplicateKey, called (as AWS requires) in the primary's region. */
  const replicate = (keyId: string, region: string, input: Partial<ReplicateKeyCommandInput> = {}, from = PRIMARY) =>
    kmsIn(from).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: region, ...input }));
  const metadataIn = async (region: string, keyId: string): Promise<KeyMetadata> => {
    const { KeyMetadata } = await kmsIn(region).send(new DescribeKeyCommand({ KeyId: keyId }));
    assert.ok(KeyMetadata);
    return KeyMetadata;
  };
  const expectedConfiguration = (keyId: string, type: 'PRIMARY' | 'REPLICA', primaryRegion: string, replicaRegions: string[]) => ({
    MultiRegionKeyType: type,
    PrimaryKey: { Arn: arnIn(primaryRegion, keyId), Region: primaryRegion },
    ReplicaKeys: [...replicaRegions].sort().map((region) => ({ Arn: arnIn(region, keyId), Region: region })),
  });
  const notPrimary = (arn: string) => ({ name: 'UnsupportedOperationException', message: `${arn} is not a multi-region primary key.` });

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  describe('ids and configuration', () => {
    test('CreateKey with MultiRegion true makes a primary key with an mrk- id and a configuration naming only itself', async () => {
      const key = await newMultiRegionKey({ Description: 'the primary' });
      assert.match(key.id, MRK_ID);
      assert.equal(key.arn, arnIn(PRIMARY, key.id));
      for (const metadata of [key.created, await metadataIn(PRIMARY, key.id)]) {
        assert.equal(metadata.MultiRegion, true);
        assert.deepEqual(metadata.MultiRegionConfiguration, expectedConfiguration(key.id, 'PRIMARY', PRIMARY, []));
        assert.equal(metadata.KeyState, 'Enabled');
      }
    });

    test('a single-Region key says MultiRegion false and has no MultiRegionConfiguration', async () => {
      const { KeyMetadata } = await kmsIn(PRIMARY).send(new CreateKeyCommand({}));
      assert.doesNotMatch(KeyMetadata?.KeyId ?? '', /^mrk-/);
      assert.equal(KeyMetadata?.MultiRegion, false);
      assert.equal(KeyMetadata?.MultiRegionConfiguration, undefined);
    });

    test('a multi-Region key does not exist in another region until it is replicated there', async () => {
      const key = await newMultiRegionKey();
      await assert.rejects(kmsIn(REPLICA).send(new DescribeKeyCommand({ KeyId: key.id })), {
        name: 'NotFoundException',
        message: `Key '${arnIn(REPLICA, key.id)}' does not exist`,
      });
    });
  });

  describe('ReplicateKey', () => {
    test('ReplicateKey answers with the replica (Enabled at once), the default key policy and the replica\'s tags', async () => {
      const key = await newMultiRegionKey({ Description: 'primary words', Tags: [{ TagKey: 'team', TagValue: 'primary' }] });
      const tags = [{ TagKey: 'project', TagValue: 'disaster-recovery' }];
      const answer = await replicate(key.id, REPLICA, { Tags: tags });
      const replica = answer.ReplicaKeyMetadata;
      assert.ok(replica);
      assert.equal(replica.KeyId, key.id);
      assert.equal(replica.Arn, arnIn(REPLICA, key.id));
      assert.equal(replica.AWSAccountId, server.accountId);
      assert.equal(replica.KeyState, 'Enabled', 'complete when answered (AWS shows a transient Creating; ADR 0020)');
      assert.equal(replica.Enabled, true);
      assert.equal(replica.Description, '', 'the description is not copied');
      assert.equal(replica.KeySpec, 'SYMMETRIC_DEFAULT');
      assert.equal(replica.KeyUsage, 'ENCRYPT_DECRYPT');
      assert.equal(replica.Origin, 'AWS_KMS');
      assert.equal(replica.MultiRegion, true);
      assert.deepEqual(replica.MultiRegionConfiguration, expectedConfiguration(key.id, 'REPLICA', PRIMARY, [REPLICA]));

      assert.equal(answer.ReplicaPolicy, defaultKeyPolicy(server.accountId));
      const stored = await kmsIn(REPLICA).send(new GetKeyPolicyCommand({ KeyId: key.id, PolicyName: 'default' }));
      assert.equal(stored.Policy, answer.ReplicaPolicy);
      assert.deepEqual(answer.ReplicaTags, tags);
      assert.deepEqual((await kmsIn(REPLICA).send(new ListResourceTagsCommand({ KeyId: key.id }))).Tags, tags);
    });

    test('ReplicateKey gives the replica the Policy and Description asked for, with AWS\'s lockout safety check', async () => {
      const key = await newMultiRegionKey();
      const user = await createUser(server, server.accountId, `replica-admin-${randomBytes(4).toString('hex')}`);
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${server.accountId}:root` }, Action: 'kms:*', Resource: '*' },
          { Sid: 'Replica users', Effect: 'Allow', Principal: { AWS: user.arn }, Action: ['kms:Decrypt'], Resource: '*' },
        ],
      });
      const answer = await replicate(key.id, REPLICA, { Policy: policy, Description: 'the replica in Ireland' });
      assert.equal(answer.ReplicaPolicy, policy);
      assert.equal(answer.ReplicaKeyMetadata?.Description, 'the replica in Ireland');
      assert.deepEqual(answer.ReplicaTags ?? [], []);
      assert.equal((await kmsIn(REPLICA).send(new GetKeyPolicyCommand({ KeyId: key.id, PolicyName: 'default' }))).Policy, policy);
      assert.equal((await metadataIn(REPLICA, key.id)).Description, 'the replica in Ireland');

      const lockout = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: user.arn }, Action: 'kms:*', Resource: '*' }],
      });
      await assert.rejects(replicate(key.id, THIRD, { Policy: lockout }), { name: 'MalformedPolicyDocumentException' });
      const bypassed = await replicate(key.id, THIRD, { Policy: lockout, BypassPolicyLockoutSafetyCheck: true });
      assert.equal(bypassed.ReplicaPolicy, lockout);
    });

    test('DescribeKey in every related region shows the primary and every replica', async () => {
      const key = await newMultiRegionKey();
      await replicate(key.id, REPLICA);
      await replicate(key.id, THIRD);
      for (const region of [PRIMARY, REPLICA, THIRD]) {
        const metadata = await metadataIn(region, key.id);
        assert.equal(metadata.Arn, arnIn(region, key.id));
        assert.deepEqual(
          sortedConfiguration(metadata.MultiRegionConfiguration),
          expectedConfiguration(key.id, region === PRIMARY ? 'PRIMARY' : 'REPLICA', PRIMARY, [REPLICA, THIRD]),
          region,
        );
      }
    });

    test('a replica has the primary\'s spec, usage, origin, rotation setting and every material version', async () => {
      const key = await newMultiRegionKey();
      await kmsIn(PRIMARY).send(new EnableKeyRotationCommand({ KeyId: key.id, RotationPeriodInDays: 180 }));
      const older = await kmsIn(PRIMARY).send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('before rotation') }));
      const firstMaterial = (await metadataIn(PRIMARY, key.id)).CurrentKeyMaterialId;
      await kmsIn(PRIMARY).send(new RotateKeyOnDemandCommand({ KeyId: key.id }));
      await replicate(key.id, REPLICA);

      const primary = await metadataIn(PRIMARY, key.id);
      const replica = await metadataIn(REPLICA, key.id);
      for (const field of ['KeySpec', 'KeyUsage', 'Origin', 'EncryptionAlgorithms', 'CurrentKeyMaterialId'] as const) {
        assert.deepEqual(replica[field], primary[field], field);
      }
      const status = await kmsIn(REPLICA).send(new GetKeyRotationStatusCommand({ KeyId: key.id }));
      assert.equal(status.KeyRotationEnabled, true);
      assert.equal(status.RotationPeriodInDays, 180);
      const decrypted = await kmsIn(REPLICA).send(new DecryptCommand({ CiphertextBlob: older.CiphertextBlob }));
      assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'before rotation');
      assert.equal(decrypted.KeyMaterialId, firstMaterial);
    });
  });

  describe('the same key material in every region', () => {
    test('a ciphertext from either region decrypts in the other', async () => {
      const key = await newMultiRegionKey();
      await replicate(key.id, REPLICA);
      const context = { purpose: 'disaster recovery' };

      const fromPrimary = await kmsIn(PRIMARY).send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('written in Virginia'), EncryptionContext: context }));
      const inReplica = await kmsIn(REPLICA).send(new DecryptCommand({ CiphertextBlob: fromPrimary.CiphertextBlob, EncryptionContext: context }));
      assert.equal(Buffer.from(inReplica.Plaintext ?? []).toString(), 'written in Virginia');
      assert.equal(inReplica.KeyId, arnIn(REPLICA, key.id), 'decrypted by the key of the request\'s region');

      const fromReplica = await kmsIn(REPLICA).send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('written in Ireland') }));
      const inPrimary = await kmsIn(PRIMARY).send(new DecryptCommand({ CiphertextBlob: fromReplica.CiphertextBlob, KeyId: key.arn }));
      assert.equal(Buffer.from(inPrimary.Plaintext ?? []).toString(), 'written in Ireland');
      assert.equal(inPrimary.KeyId, key.arn);

      const dataKey = await kmsIn(REPLICA).send(new GenerateDataKeyCommand({ KeyId: key.id, KeySpec: 'AES_256' }));
      const recovered = await kmsIn(PRIMARY).send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
      assert.deepEqual(Buffer.from(recovered.Plaintext ?? []), Buffer.from(dataKey.Plaintext ?? []));
    });

    test('both regions compute the same MAC, and a MAC from one region verifies in the other', async () => {
      const key = await newMultiRegionKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
      await replicate(key.id, REPLICA);
      const message = Buffer.from('authenticated in one region, checked in another');
      const mac = async (region: string) =>
        Buffer.from((await kmsIn(region).send(new GenerateMacCommand({ KeyId: key.id, MacAlgorithm: 'HMAC_SHA_256', Message: message }))).Mac ?? []);
      const fromPrimary = await mac(PRIMARY);
      assert.deepEqual(await mac(REPLICA), fromPrimary, 'HMAC is deterministic: the same material gives the same MAC');
      const verified = await kmsIn(REPLICA).send(new VerifyMacCommand({ KeyId: key.id, MacAlgorithm: 'HMAC_SHA_256', Message: message, Mac: fromPrimary }));
      assert.equal(verified.MacValid, true);
      assert.equal(verified.KeyId, arnIn(REPLICA, key.id));
    });

    test('both regions have the same public key; a signature from either verifies in the other and offline', async () => {
      const key = await newMultiRegionKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
      const replica = (await replicate(key.id, REPLICA)).ReplicaKeyMetadata;
      assert.equal(replica?.KeySpec, 'ECC_NIST_P256');
      assert.equal(replica?.KeyUsage, 'SIGN_VERIFY');
      assert.deepEqual(replica?.SigningAlgorithms, key.created.SigningAlgorithms);
      const publicKey = async (region: string) => Buffer.from((await kmsIn(region).send(new GetPublicKeyCommand({ KeyId: key.id }))).PublicKey ?? []);
      const spki = await publicKey(PRIMARY);
      assert.deepEqual(await publicKey(REPLICA), spki);

      const message = Buffer.from('a release signed in either region');
      for (const [signIn, verifyIn] of [[PRIMARY, REPLICA], [REPLICA, PRIMARY]] as const) {
        const { Signature } = await kmsIn(signIn).send(new SignCommand({ KeyId: key.id, SigningAlgorithm: 'ECDSA_SHA_256', Message: message }));
        assert.ok(Signature);
        const verified = await kmsIn(verifyIn).send(new VerifyCommand({ KeyId: key.id, SigningAlgorithm: 'ECDSA_SHA_256', Message: message, Signature }));
        assert.equal(verified.SignatureValid, true, `signed in ${signIn}, verified in ${verifyIn}`);
        const offline = createPublicKey({ key: spki, format: 'der', type: 'spki' });
        assert.equal(nodeVerify('sha256', message, { key: offline, dsaEncoding: 'der' }, Signature), true);
      }

      // RSA PKCS#1 v1.5 signatures are deterministic: both regions make the very same one.
      const rsa = await newMultiRegionKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
      await replicate(rsa.id, REPLICA);
      const signature = async (region: string) => Buffer.from((await kmsIn(region).send(
        new SignCommand({ KeyId: rsa.id, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256', Message: message }),
      )).Signature ?? []);
      const rsaSignature = await signature(REPLICA);
      assert.deepEqual(await signature(PRIMARY), rsaSignature);
      const rsaPublic = createPublicKey({
        key: Buffer.from((await kmsIn(PRIMARY).send(new GetPublicKeyCommand({ KeyId: rsa.id }))).PublicKey ?? []), format: 'der', type: 'spki',
      });
      assert.equal(nodeVerify('sha256', message, { key: rsaPublic, padding: constants.RSA_PKCS1_PADDING }, rsaSignature), true);
    });

    test('a replica of a key with imported material is PendingImport until the same material is imported into it', async () => {
      const key = await newMultiRegionKey({ Origin: 'EXTERNAL' });
      assert.equal(key.created.KeyState, 'PendingImport');
      const material = randomBytes(32);
      const imported = await importMaterial(kmsIn(PRIMARY), key.id, material);
      const ciphertext = (await kmsIn(PRIMARY).send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('imported once') }))).CiphertextBlob;

      const replica = (await replicate(key.id, REPLICA)).ReplicaKeyMetadata;
      assert.equal(replica?.KeyState, 'PendingImport');
      assert.equal(replica?.Enabled, false);
      assert.equal(replica?.Origin, 'EXTERNAL');
      const replicaArn = arnIn(REPLICA, key.id);
      await assert.rejects(kmsIn(REPLICA).send(new DecryptCommand({ CiphertextBlob: ciphertext })), {
        name: 'KMSInvalidStateException', message: `${replicaArn} is pending import.`,
      });

      // The primary's import token is bound to the primary: the replica is another key.
      const primaryParameters = await importParameters(kmsIn(PRIMARY), key.id);
      await assert.rejects(kmsIn(REPLICA).send(new ImportKeyMaterialCommand({
        KeyId: key.id,
        ImportToken: primaryParameters.token,
        EncryptedKeyMaterial: wrapKeyMaterial('RSAES_OAEP_SHA_256', primaryParameters.publicKey, material),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      })), { name: 'InvalidImportTokenException' });
      await assert.rejects(importMaterial(kmsIn(REPLICA), key.id, randomBytes(32)), { name: 'IncorrectKeyMaterialException' });

      const inReplica = await importMaterial(kmsIn(REPLICA), key.id, material, {
        algorithm: 'RSA_AES_KEY_WRAP_SHA_256', request: { ImportType: 'EXISTING_KEY_MATERIAL' },
      });
      assert.equal(inReplica.KeyId, replicaArn);
      assert.equal(inReplica.KeyMaterialId, imported.KeyMaterialId, 'the id derives from the key id and the material');
      assert.equal((await metadataIn(REPLICA, key.id)).KeyState, 'Enabled');
      const decrypted = await kmsIn(REPLICA).send(new DecryptCommand({ CiphertextBlob: ciphertext }));
      assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'imported once');
    });
    test('new imported material on a primary waits for every replica (PENDING_MULTI_REGION_IMPORT_AND_ROTATION), then rotates everywhere; deleting it on the primary deletes it from the replicas', async () => {
      const key = await newMultiRegionKey({ Origin: 'EXTERNAL' });
      const first = randomBytes(32);
      await importMaterial(kmsIn(PRIMARY), key.id, first);
      await replicate(key.id, REPLICA);
      await importMaterial(kmsIn(REPLICA), key.id, first);
      const second = randomBytes(32);
      const { KeyMaterialId: secondId } = await importMaterial(kmsIn(PRIMARY), key.id, second, { request: { ImportType: 'NEW_KEY_MATERIAL' } });
      const stateOf = async (region: string) => {
        const { Rotations } = await kmsIn(region).send(new ListKeyRotationsCommand({ KeyId: key.id, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }));
        return Rotations?.find((entry) => entry.KeyMaterialId === secondId);
      };
      assert.equal((await stateOf(PRIMARY))?.KeyMaterialState, 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION');
      assert.equal((await stateOf(REPLICA))?.ImportState, 'PENDING_IMPORT');
      await assert.rejects(kmsIn(PRIMARY).send(new RotateKeyOnDemandCommand({ KeyId: key.id })), { name: 'KMSInvalidStateException' });

      await importMaterial(kmsIn(REPLICA), key.id, second, { request: { ImportType: 'EXISTING_KEY_MATERIAL' } });
      assert.equal((await stateOf(PRIMARY))?.KeyMaterialState, 'PENDING_ROTATION');
      await kmsIn(PRIMARY).send(new DeleteImportedKeyMaterialCommand({ KeyId: key.id, KeyMaterialId: secondId }));
      assert.equal((await stateOf(PRIMARY))?.ImportState, 'PENDING_IMPORT');
      assert.equal((await stateOf(REPLICA))?.ImportState, 'PENDING_IMPORT', 'deleted from the replica too');
      assert.equal((await metadataIn(REPLICA, key.id)).KeyState, 'Enabled', 'the material in use is still there');

      await importMaterial(kmsIn(PRIMARY), key.id, second, { request: { ImportType: 'EXISTING_KEY_MATERIAL' } });
      await importMaterial(kmsIn(REPLICA), key.id, second, { request: { ImportType: 'EXISTING_KEY_MATERIAL' } });
      await kmsIn(PRIMARY).send(new RotateKeyOnDemandCommand({ KeyId: key.id }));
      for (const region of [PRIMARY, REPLICA]) {
        assert.equal((await metadataIn(region, key.id)).CurrentKeyMaterialId, secondId, region);
        assert.equal((await stateOf(region))?.KeyMaterialState, 'CURRENT', region);
      }
    });
    test('an imported HMAC key gives the locally computed MAC in the primary and in its replica', async () => {
      // A known answer across regions needs known material, which only an imported key gives a test.
      const key = await newMultiRegionKey({ Origin: 'EXTERNAL', KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' });
      const material = randomBytes(48);
      await importMaterial(kmsIn(PRIMARY), key.id, material);
      await replicate(key.id, REPLICA);
      await importMaterial(kmsIn(REPLICA), key.id, material);
      const message = Buffer.from('the same MAC everywhere');
      const expected = createHmac('sha384', material).update(message).digest();
      for (const region of [PRIMARY, REPLICA]) {
        const { Mac } = await kmsIn(region).send(new GenerateMacCommand({ KeyId: key.id, MacAlgorithm: 'HMAC_SHA_384', Message: message }));
        assert.deepEqual(Buffer.from(Mac ?? []), expected, region);
      }
    });
  });

  describe('shared rotation, independent properties', () => {
    test('rotating the primary rotates every replica; rotation settings reach them too', async () => {
      const key = await newMultiRegionKey();
      await replicate(key.id, REPLICA);
      await replicate(key.id, THIRD);
      const before = (await metadataIn(PRIMARY, key.id)).CurrentKeyMaterialId;
      await kmsIn(PRIMARY).send(new RotateKeyOnDemandCommand({ KeyId: key.id }));
      const after = (await metadataIn(PRIMARY, key.id)).CurrentKeyMaterialId;
      assert.notEqual(after, before);
      for (const region of [REPLICA, THIRD]) assert.equal((await metadataIn(region, key.id)).CurrentKeyMaterialId, after, region);
      const rotated = await kmsIn(PRIMARY).send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('after rotation') }));
      const decrypted = await kmsIn(THIRD).send(new DecryptCommand({ CiphertextBlob: rotated.CiphertextBlob }));
      assert.equal(decrypted.KeyMaterialId, after);

      await kmsIn(PRIMARY).send(new EnableKeyRotationCommand({ KeyId: key.id, RotationPeriodInDays: 120 }));
      const enabled = await kmsIn(REPLICA).send(new GetKeyRotationStatusCommand({ KeyId: key.id }));
      assert.equal(enabled.KeyRotationEnabled, true);
      assert.equal(enabled.RotationPeriodInDays, 120);
      await kmsIn(PRIMARY).send(new DisableKeyRotationCommand({ KeyId: key.id }));
      assert.equal((await kmsIn(REPLICA).send(new GetKeyRotationStatusCommand({ KeyId: key.id }))).KeyRotationEnabled, false);
    });

    test('EnableKeyRotation, DisableKeyRotation and RotateKeyOnDemand on a replica are UnsupportedOperationException', async () => {
      const key = await newMultiRegionKey();
      await replicate(key.id, REPLICA);
      const replica = kmsIn(REPLICA);
      const replicaArn = arnIn(REPLICA, key.id);
      await assert.rejects(replica.send(new EnableKeyRotationCommand({ KeyId: key.id })), notPrimary(replicaArn));
      await assert.rejects(replica.send(new DisableKeyRotationCommand({ KeyId: key.id })), notPrimary(replicaArn));
      await assert.rejects(replica.send(new RotateKeyOnDemandCommand({ KeyId: key.id })), notPrimary(replicaArn));
      assert.equal((await replica.send(new GetKeyRotationStatusCommand({ KeyId: key.id }))).KeyRotationEnabled, false);
    });

    test('description, policy, tags, aliases, grants and enabled state of a replica are its own', async () => {
      const key = await newMultiRegionKey({ Description: 'primary words' });
      await replicate(key.id, REPLICA);
      const primary = kmsIn(PRIMARY);
      const replica = kmsIn(REPLICA);
      const replicaArn = arnIn(REPLICA, key.id);

      await replica.send(new UpdateKeyDescriptionCommand({ KeyId: key.id, Description: 'replica words' }));
      assert.equal((await metadataIn(PRIMARY, key.id)).Description, 'primary words');
      assert.equal((await metadataIn(REPLICA, key.id)).Description, 'replica words');

      const replicaPolicy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'replica only', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${server.accountId}:root` }, Action: 'kms:*', Resource: '*' }],
      });
      await replica.send(new PutKeyPolicyCommand({ KeyId: key.id, PolicyName: 'default', Policy: replicaPolicy }));
      assert.equal((await primary.send(new GetKeyPolicyCommand({ KeyId: key.id, PolicyName: 'default' }))).Policy, defaultKeyPolicy(server.accountId));

      await replica.send(new TagResourceCommand({ KeyId: key.id, Tags: [{ TagKey: 'site', TagValue: 'dublin' }] }));
      assert.deepEqual((await primary.send(new ListResourceTagsCommand({ KeyId: key.id }))).Tags, []);

      const alias = `alias/independent-${randomBytes(4).toString('hex')}`;
      await primary.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.id }));
      await replica.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.id }));
      await replica.send(new DeleteAliasCommand({ AliasName: alias }));
      assert.equal((await metadataIn(PRIMARY, alias)).Arn, key.arn, 'deleting the replica\'s alias leaves the primary\'s');
      await assert.rejects(replica.send(new DescribeKeyCommand({ KeyId: alias })), { name: 'NotFoundException' });

      const grantee = await createUser(server, server.accountId, `mrk-grantee-${randomBytes(4).toString('hex')}`);
      await replica.send(new CreateGrantCommand({ KeyId: key.id, GranteePrincipal: grantee.arn, Operations: ['Decrypt'] }));
      assert.equal((await replica.send(new ListGrantsCommand({ KeyId: key.id }))).Grants?.length, 1);
      assert.deepEqual((await primary.send(new ListGrantsCommand({ KeyId: key.id }))).Grants ?? [], []);

      await replica.send(new DisableKeyCommand({ KeyId: key.id }));
      assert.equal((await metadataIn(REPLICA, key.id)).KeyState, 'Disabled');
      assert.equal((await metadataIn(PRIMARY, key.id)).KeyState, 'Enabled');
      const stillWorks = await primary.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('primary still encrypts') }));
      await assert.rejects(replica.send(new DecryptCommand({ CiphertextBlob: stillWorks.CiphertextBlob })), {
        name: 'DisabledException', message: `${replicaArn} is disabled.`,
      });
    });
  });

  describe('UpdatePrimaryRegion', () => {
    test('UpdatePrimaryRegion makes the replica the primary and the primary a replica, complete when it answers', async () => {
      const key = await newMultiRegionKey();
      await replicate(key.id, REPLICA);
      await replicate(key.id, THIRD);
      const answer = await kmsIn(PRIMARY).send(new UpdatePrimaryRegionCommand({ KeyId: key.arn, PrimaryRegion: REPLICA }));
      assert.deepEqual(Object.keys(answer).filter((name) => name !== '$metadata'), [], 'an empty response');

      for (const region of [PRIMARY, REPLICA, THIRD]) {
        const metadata = await metadataIn(region, key.id);
        assert.equal(metadata.KeyState, 'Enabled', `${region}: no Updating state shows`);
        assert.deepEqual(
          sortedConfiguration(metadata.MultiRegionConfiguration),
          expectedConfiguration(key.id, region === REPLICA ? 'PRIMARY' : 'REPLICA', REPLICA, [PRIMARY, THIRD]),
          region,
        );
      }
      await kmsIn(REPLICA).send(new RotateKeyOnDemandCommand({ KeyId: key.id }));
      await assert.rejects(kmsIn(PRIMARY).send(new RotateKeyOnDemandCommand({ KeyId: key.id })), notPrimary(key.arn));
      await assert.rejects(replicate(key.id, 'us-west-2'), notPrimary(key.arn));
      const fromOldPrimary = await kmsIn(PRIMARY).send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('still shared') }));
      const decrypted = await kmsIn(REPLICA).send(new DecryptCommand({ CiphertextBlob: fromOldPrimary.CiphertextBlob }));
      assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'still shared');
    });
  });

  describe('ReplicateKey refusals', () => {
    test('replicating a replica is UnsupportedOperationException "<arn> is not a multi-region primary key."', async () => {
      const key = await newMultiRegionKey();
      await replicate(key.id, REPLICA);
      await assert.rejects(replicate(key.id, THIRD, {}, REPLICA), notPrimary(arnIn(REPLICA, key.id)));
    });

    test('replicating a single-Region key is UnsupportedOperationException', async () => {
      const { KeyMetadata } = await kmsIn(PRIMARY).send(new CreateKeyCommand({}));
      await assert.rejects(replicate(KeyMetadata?.KeyId ?? '', REPLICA), { name: 'UnsupportedOperationException' });
    });

    test('replicating into a region that already has the key, or into the primary\'s own region, is AlreadyExistsException', async () => {
      const key = await newMultiRegionKey();
      await replicate(key.id, REPLICA);
      await assert.rejects(replicate(key.id, REPLICA), { name: 'AlreadyExistsException' });
      await assert.rejects(replicate(key.id, PRIMARY), { name: 'AlreadyExistsException' });
    });
  });

  describe('authorization', () => {
    const userClient = async (name: string, policies: Record<string, object>) => {
      const user = await createUser(server, server.accountId, `${name}-${randomBytes(4).toString('hex')}`, policies);
      return { ...user, kms: (region: string) => server.kms(region, { ...user.credentials }) };
    };

    test('ReplicateKey without kms:CreateKey (in the replica\'s region) is AccessDeniedException', async () => {
      const key = await newMultiRegionKey();
      const user = await userClient('replicator-without-create', { replicate: allowPolicy(['kms:ReplicateKey', 'kms:DescribeKey']) });
      await assert.rejects(user.kms(PRIMARY).send(new ReplicateKeyCommand({ KeyId: key.id, ReplicaRegion: REPLICA })), {
        name: 'AccessDeniedException', message: /kms:CreateKey/,
      });
      await assert.rejects(kmsIn(REPLICA).send(new DescribeKeyCommand({ KeyId: key.id })), { name: 'NotFoundException' }, 'no replica was made');

      const allowed = await userClient('replicator', { replicate: allowPolicy(['kms:ReplicateKey', 'kms:CreateKey']) });
      const answer = await allowed.kms(PRIMARY).send(new ReplicateKeyCommand({ KeyId: key.id, ReplicaRegion: REPLICA }));
      assert.equal(answer.ReplicaKeyMetadata?.Arn, arnIn(REPLICA, key.id));
    });

    test('ReplicateKey with Tags needs kms:TagResource too', async () => {
      const key = await newMultiRegionKey();
      const user = await userClient('replicator-without-tags', { replicate: allowPolicy(['kms:ReplicateKey', 'kms:CreateKey']) });
      await assert.rejects(
        user.kms(PRIMARY).send(new ReplicateKeyCommand({ KeyId: key.id, ReplicaRegion: REPLICA, Tags: [{ TagKey: 'a', TagValue: 'b' }] })),
        { name: 'AccessDeniedException', message: /kms:TagResource/ },
      );
    });

    test('a condition on kms:ReplicaRegion allows replicating into one region and not another', async () => {
      const key = await newMultiRegionKey();
      const user = await userClient('replicator-to-ireland', {
        replicate: allowPolicy('kms:ReplicateKey', { StringEquals: { 'kms:ReplicaRegion': REPLICA } }),
        create: allowPolicy('kms:CreateKey'),
      });
      await assert.rejects(user.kms(PRIMARY).send(new ReplicateKeyCommand({ KeyId: key.id, ReplicaRegion: THIRD })), {
        name: 'AccessDeniedException', message: /kms:ReplicateKey/,
      });
      const answer = await user.kms(PRIMARY).send(new ReplicateKeyCommand({ KeyId: key.id, ReplicaRegion: REPLICA }));
      assert.equal(answer.ReplicaKeyMetadata?.KeyState, 'Enabled');
    });

    test('UpdatePrimaryRegion needs kms:UpdatePrimaryRegion on both keys, and kms:PrimaryRegion can condition it', async () => {
      const key = await newMultiRegionKey();
      await replicate(key.id, REPLICA);
      await replicate(key.id, THIRD);
      const onPrimaryOnly = await userClient('promoter-primary-only', {
        promote: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:UpdatePrimaryRegion', Resource: key.arn }] },
      });
      await assert.rejects(onPrimaryOnly.kms(PRIMARY).send(new UpdatePrimaryRegionCommand({ KeyId: key.id, PrimaryRegion: REPLICA })), {
        name: 'AccessDeniedException',
      });

      const toSingaporeOnly = await userClient('promoter-to-singapore', {
        promote: allowPolicy('kms:UpdatePrimaryRegion', { StringEquals: { 'kms:PrimaryRegion': THIRD } }),
      });
      await assert.rejects(toSingaporeOnly.kms(PRIMARY).send(new UpdatePrimaryRegionCommand({ KeyId: key.id, PrimaryRegion: REPLICA })), {
        name: 'AccessDeniedException',
      });
      assert.equal((await metadataIn(PRIMARY, key.id)).MultiRegionConfiguration?.MultiRegionKeyType, 'PRIMARY', 'nothing changed');

      const onBoth = await userClient('promoter', {
        promote: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:UpdatePrimaryRegion', Resource: [key.arn, arnIn(THIRD, key.id)] }] },
      });
      await onBoth.kms(PRIMARY).send(new UpdatePrimaryRegionCommand({ KeyId: key.id, PrimaryRegion: THIRD }));
      assert.equal((await metadataIn(THIRD, key.id)).MultiRegionConfiguration?.MultiRegionKeyType, 'PRIMARY');
    });

    test('kms:MultiRegion conditions CreateKey, and kms:MultiRegionKeyType tells a primary from a replica', async () => {
      const creator = await userClient('mrk-creator', { create: allowPolicy('kms:CreateKey', { Bool: { 'kms:MultiRegion': 'true' } }) });
      await assert.rejects(creator.kms(PRIMARY).send(new CreateKeyCommand({})), { name: 'AccessDeniedException' });
      const created = await creator.kms(PRIMARY).send(new CreateKeyCommand({ MultiRegion: true }));
      assert.equal(created.KeyMetadata?.MultiRegion, true);

      const key = await newMultiRegionKey();
      await replicate(key.id, REPLICA);
      const encrypter = await userClient('primary-encrypter', {
        encrypt: allowPolicy('kms:Encrypt', { StringEquals: { 'kms:MultiRegionKeyType': 'PRIMARY' } }),
      });
      await encrypter.kms(PRIMARY).send(new EncryptCommand({ KeyId: key.arn, Plaintext: Buffer.from('x') }));
      await assert.rejects(encrypter.kms(REPLICA).send(new EncryptCommand({ KeyId: arnIn(REPLICA, key.id), Plaintext: Buffer.from('x') })), {
        name: 'AccessDeniedException',
      });
    });
  });
});

describe('multi-Region keys over time (the server\'s clock moved)', () => {
  const arnIn = (server: TestServer, region: string, keyId: string) => `arn:aws:kms:${region}:${server.accountId}:key/${keyId}`;

  test('automatic rotation of the primary rotates every replica', async () => {
    await withMovableClock({}, async (clock) => {
      const { KeyMetadata } = await clock.kms(PRIMARY).send(new CreateKeyCommand({ MultiRegion: true }));
      const keyId = KeyMetadata?.KeyId ?? '';
      await clock.kms(PRIMARY).send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
      await clock.kms(PRIMARY).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: REPLICA }));
      const before = KeyMetadata?.CurrentKeyMaterialId;

      clock.moveBy(91 * DAY);
      const done = await clock.server.node.runDueJobs();
      assert.ok(done.some((event) => event.eventName === 'RotateKey' && event.key.arn === KeyMetadata?.Arn), 'the primary rotated');
      const current = async (region: string) =>
        (await clock.kms(region).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.CurrentKeyMaterialId;
      const rotated = await current(PRIMARY);
      assert.notEqual(rotated, before);
      assert.equal(await current(REPLICA), rotated);
    });
  });

  test('a primary with replicas is PendingReplicaDeletion, then PendingDeletion with its waiting period once its last replica is deleted', async () => {
    await withMovableClock({}, async (clock) => {
      const { KeyMetadata } = await clock.kms(PRIMARY).send(new CreateKeyCommand({ MultiRegion: true }));
      const keyId = KeyMetadata?.KeyId ?? '';
      const primaryArn = KeyMetadata?.Arn ?? '';
      const replicaArn = arnIn(clock.server, REPLICA, keyId);
      await clock.kms(PRIMARY).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: REPLICA }));

      // A replica is scheduled for deletion on its own: the primary is untouched.
      const replicaScheduled = await clock.kms(REPLICA).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      assert.equal(replicaScheduled.KeyState, 'PendingDeletion');
      assert.equal((await clock.kms(PRIMARY).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'Enabled');

      const scheduled = await clock.kms(PRIMARY).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      assert.equal(scheduled.KeyId, primaryArn);
      assert.equal(scheduled.KeyState, 'PendingReplicaDeletion');
      assert.equal(scheduled.PendingWindowInDays, 7);
      assert.equal(scheduled.DeletionDate, undefined, 'unknown until the last replica is deleted');
      const waiting = (await clock.kms(PRIMARY).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
      assert.equal(waiting?.KeyState, 'PendingReplicaDeletion');
      assert.equal(waiting?.DeletionDate, undefined);
      await assert.rejects(clock.kms(PRIMARY).send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })), {
        name: 'KMSInvalidStateException',
      });

      clock.moveBy(8 * DAY);
      const replicaDeletedAt = clock.now();
      const done = [...(await clock.server.node.runDueJobs()), ...(await clock.server.node.runDueJobs())];
      assert.deepEqual(done.map((event) => [event.eventName, event.key.arn]), [['DeleteKey', replicaArn]]);
      await assert.rejects(clock.kms(REPLICA).send(new DescribeKeyCommand({ KeyId: keyId })), { name: 'NotFoundException' });
      const pending = (await clock.kms(PRIMARY).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
      assert.equal(pending?.KeyState, 'PendingDeletion');
      assert.equal(pending?.PendingDeletionWindowInDays, 7);
      const deletion = pending?.DeletionDate?.getTime() ?? 0;
      assert.ok(deletion >= replicaDeletedAt + 7 * DAY - 1000 && deletion <= clock.now() + 7 * DAY + 1000, 'the waiting period starts now');
      assert.deepEqual(pending?.MultiRegionConfiguration?.ReplicaKeys, []);

      clock.moveBy(8 * DAY);
      const last = await clock.server.node.runDueJobs();
      assert.deepEqual(last.map((event) => [event.eventName, event.key.arn]), [['DeleteKey', primaryArn]]);
      await assert.rejects(clock.kms(PRIMARY).send(new DescribeKeyCommand({ KeyId: keyId })), { name: 'NotFoundException' });
    });
  });
});
