import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  KMSClient,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { readTrail } from '../audit-integration/trail-reader.js';
import { startTestServer, type TestServer } from '../support/server.js';

const DEV = { accessKeyId: 'test', secretAccessKey: 'test' };
const CUSTOM_ID = '00000000-0000-0000-0000-000000000001';
const MATERIAL = Buffer.alloc(32, 0x5a).toString('base64');

function tags(entries: Record<string, string>) {
  return Object.entries(entries).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

describe("LocalStack's _custom_id_ and _custom_key_material_ tags", () => {
  let dev: TestServer;
  let otherDev: TestServer;
  let plain: TestServer;
  let kms: KMSClient;

  before(async () => {
    [dev, otherDev, plain] = await Promise.all([
      startTestServer({ devAccountId: '000000000000', audit: true }),
      startTestServer({ devAccountId: '000000000000' }),
      startTestServer(),
    ]);
    kms = dev.kms('us-east-1', DEV);
  });
  after(async () => {
    await Promise.all([dev.stop(), otherDev.stop(), plain.stop()]);
  });

  test('in development mode they fix the key id and the material; the material tag is not kept', async () => {
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({ Tags: tags({ _custom_id_: ` ${CUSTOM_ID} `, _custom_key_material_: MATERIAL, team: 'a' }) }),
    );
    assert.equal(KeyMetadata?.KeyId, CUSTOM_ID);
    assert.equal(KeyMetadata?.Arn, `arn:aws:kms:us-east-1:000000000000:key/${CUSTOM_ID}`);
    const listed = await kms.send(new ListResourceTagsCommand({ KeyId: CUSTOM_ID }));
    assert.deepEqual(listed.Tags, tags({ _custom_id_: ` ${CUSTOM_ID} `, team: 'a' }));
  });

  test('one chosen id in two regions names two unrelated keys: rotating one leaves the other as it was', async () => {
    const id = '00000000-0000-0000-0000-0000000000f2';
    const east = dev.kms('us-east-1', DEV);
    const west = dev.kms('eu-west-1', DEV);
    for (const client of [east, west]) await client.send(new CreateKeyCommand({ Tags: tags({ _custom_id_: id }) }));
    const before = (await west.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata?.CurrentKeyMaterialId;
    await east.send(new RotateKeyOnDemandCommand({ KeyId: id }));
    assert.equal((await west.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata?.CurrentKeyMaterialId, before);
    const { Rotations } = await west.send(new ListKeyRotationsCommand({ KeyId: id }));
    assert.deepEqual(Rotations, []);
  });

  test('the material tag never reaches the audit trail: CloudTrail\'s placeholder stands in its value', async () => {
    const material = Buffer.alloc(32, 0x6b).toString('base64');
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Tags: tags({ _custom_key_material_: material, team: 'b' }) }));
    const records = readTrail(dev.dataDir);
    assert.equal(JSON.stringify(records).includes(material), false, 'no record holds the material');
    const created = records.find((record) => record.eventName === 'CreateKey' && JSON.stringify(record).includes(KeyMetadata?.Arn ?? '?'));
    assert.deepEqual(created?.requestParameters?.['tags'], [
      { tagKey: '_custom_key_material_', tagValue: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      { tagKey: 'team', tagValue: 'b' },
    ]);
  });

  test('a ciphertext under such a key decrypts on another server whose key was made with the same tags', async () => {
    const other = otherDev.kms('us-east-1', DEV);
    await other.send(new CreateKeyCommand({ Tags: tags({ _custom_id_: CUSTOM_ID, _custom_key_material_: MATERIAL }) }));
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: CUSTOM_ID, Plaintext: Buffer.from('portable') }));
    const { Plaintext } = await other.send(new DecryptCommand({ CiphertextBlob }));
    assert.equal(Buffer.from(Plaintext ?? []).toString(), 'portable');
  });

  test('a key id that is taken is AlreadyExistsException; a malformed one ValidationException', async () => {
    await assert.rejects(kms.send(new CreateKeyCommand({ Tags: tags({ _custom_id_: CUSTOM_ID }) })), { name: 'AlreadyExistsException' });
    await assert.rejects(kms.send(new CreateKeyCommand({ Tags: tags({ _custom_id_: 'my-key' }) })), {
      name: 'ValidationException',
      message: 'The _custom_id_ tag must name a key id: a UUID, or mrk- and 32 hexadecimal digits.',
    });
  });

  test('material of the wrong size for the spec is ValidationException, and the message does not quote it', async () => {
    const short = Buffer.alloc(16, 0x33).toString('base64');
    await assert.rejects(kms.send(new CreateKeyCommand({ Tags: tags({ _custom_key_material_: short }) })), (error: Error) => {
      assert.equal(error.name, 'ValidationException');
      assert.equal(error.message, 'The _custom_key_material_ tag does not hold key material of KeySpec SYMMETRIC_DEFAULT: spec SYMMETRIC_DEFAULT takes 32 bytes (256 bits), not 16.');
      return true;
    });
  });

  test('HMAC material and an ECC private key in DER (SEC1, as LocalStack users give secp256k1 keys) are used', async () => {
    const hmacKey = Buffer.alloc(48, 0x11);
    const hmac = await kms.send(
      new CreateKeyCommand({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC', Tags: tags({ _custom_key_material_: hmacKey.toString('base64') }) }),
    );
    const message = Buffer.from('m');
    const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: hmac.KeyMetadata?.KeyId, MacAlgorithm: 'HMAC_SHA_384', Message: message }));
    assert.deepEqual(Buffer.from(Mac ?? []), createHmac('sha384', hmacKey).update(message).digest());

    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const sec1 = privateKey.export({ format: 'der', type: 'sec1' }).toString('base64');
    const ecc = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY', Tags: tags({ _custom_key_material_: sec1 }) }),
    );
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: ecc.KeyMetadata?.KeyId }));
    assert.deepEqual(Buffer.from(PublicKey ?? []), createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
  });

  test('outside development mode they are ordinary tags, as at AWS', async () => {
    const admin = plain.kms();
    const { KeyMetadata } = await admin.send(
      new CreateKeyCommand({ Tags: tags({ _custom_id_: CUSTOM_ID, _custom_key_material_: 'not even base64!' }) }),
    );
    assert.notEqual(KeyMetadata?.KeyId, CUSTOM_ID);
    const listed = await admin.send(new ListResourceTagsCommand({ KeyId: KeyMetadata?.KeyId }));
    assert.deepEqual(listed.Tags, tags({ _custom_id_: CUSTOM_ID, _custom_key_material_: 'not even base64!' }));
  });
});
