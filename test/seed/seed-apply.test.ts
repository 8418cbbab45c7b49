import assert from 'node:assert/strict';
import { createHmac, createPublicKey, verify as verifySignature } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetKeyPolicyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListResourceTagsCommand,
  RotateKeyOnDemandCommand,
  SignCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { applySeed } from '../../src/service/seeding/apply-seed.js';
import { parseSeedText, readSeedFile } from '../../src/service/seeding/parse-seed-file.js';
import type { SeedDocument } from '../../src/service/seeding/seed-document.js';
import { SeedFileError } from '../../src/service/seeding/seed-file-error.js';
import { seededMaterialId } from '../../src/service/seeding/seeded-material.js';
import type { StrongroomNode } from '../../src/server/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { block, EXAMPLE, EXAMPLE_SEED, pemKey } from './seed-fixtures.js';

const SEEDED_CREDENTIALS = { accessKeyId: EXAMPLE.accessKeyId, secretAccessKey: EXAMPLE.secretAccessKey };
const SCOPES = [
  { accountId: EXAMPLE.accountId, region: 'us-east-1' },
  { accountId: '000000000000', region: 'eu-west-1' },
];

async function seedWith(node: StrongroomNode, seed: SeedDocument) {
  try {
    return await applySeed(node.deps, seed);
  } finally {
    seed.wipe();
  }
}

/** Everything a seed file can touch, as stored: two snapshots are equal when nothing changed. */
async function snapshot(node: StrongroomNode, scopes = SCOPES): Promise<string> {
  const { store } = node;
  const keys = [];
  for (const scope of scopes) {
    for (const key of (await store.keys.list(scope, { limit: 1000 })).items) {
      const materials = (await store.keys.listMaterials(key.arn)).map((material) => material.id);
      keys.push({ ...key, materials });
    }
    keys.push((await store.aliases.list(scope, { limit: 1000 })).items);
  }
  const accounts = await store.identities.listAccounts();
  const accessKeys = await store.identities.listAccessKeys(`arn:aws:iam::${EXAMPLE.accountId}:root`);
  return JSON.stringify({ keys, accounts, accessKeys: accessKeys.map((key) => [key.accessKeyId, key.createdAt]) });
}

/** The example file with its symmetric key's material versions replaced. */
async function exampleWithMaterials(materials: readonly string[]): Promise<SeedDocument> {
  const text = await readFile(EXAMPLE_SEED, 'utf8');
  const replaced = text.replace(/materials:\n(?:\s+- \S+.*\n)+/, `materials: [${materials.join(', ')}]\n`);
  assert.notEqual(replaced, text);
  return parseSeedText(replaced, 'seed.yaml', 'yaml');
}

function symmetricArn(): string {
  return `arn:aws:kms:us-east-1:${EXAMPLE.accountId}:key/${EXAMPLE.symmetricKeyId}`;
}

describe('applying a seed file', () => {
  let a: TestServer;
  let b: TestServer;
  let kmsA: KMSClient;
  let kmsB: KMSClient;

  before(async () => {
    [a, b] = await Promise.all([startTestServer(), startTestServer({ devAccountId: '000000000000' })]);
    // Server A gets the first material version only, as a machine seeded before the file gained the second.
    await seedWith(a.node, await exampleWithMaterials([EXAMPLE.symmetricMaterials[0]]));
    await seedWith(b.node, await readSeedFile(EXAMPLE_SEED));
    kmsA = a.kms('us-east-1', SEEDED_CREDENTIALS);
    kmsB = b.kms('us-east-1', SEEDED_CREDENTIALS);
  });
  after(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  test('seeded access keys sign requests as the account root', async () => {
    const sts = new STSClient({ endpoint: b.endpoint, region: 'us-east-1', credentials: SEEDED_CREDENTIALS, maxAttempts: 1 });
    try {
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, EXAMPLE.accountId);
      assert.equal(identity.Arn, `arn:aws:iam::${EXAMPLE.accountId}:root`);
    } finally {
      sts.destroy();
    }
    const wrong = b.kms('us-east-1', { accessKeyId: EXAMPLE.accessKeyId, secretAccessKey: 'x'.repeat(40) });
    await assert.rejects(wrong.send(new DescribeKeyCommand({ KeyId: EXAMPLE.symmetricKeyId })), { name: 'InvalidSignatureException' });
  });

  test('a ciphertext made on one server decrypts on another seeded with the same material, older versions too', async () => {
    const context = { purpose: 'seed-test' };
    const made = await kmsA.send(new EncryptCommand({ KeyId: 'alias/app-data', Plaintext: Buffer.from('made on A'), EncryptionContext: context }));
    const opened = await kmsB.send(new DecryptCommand({ CiphertextBlob: made.CiphertextBlob, EncryptionContext: context }));
    assert.equal(Buffer.from(opened.Plaintext ?? []).toString(), 'made on A');
    assert.equal(opened.KeyId, symmetricArn());
    // B's current version is the file's last; its ciphertexts name that version.
    const described = await kmsB.send(new DescribeKeyCommand({ KeyId: EXAMPLE.symmetricKeyId }));
    const seed = await readSeedFile(EXAMPLE_SEED);
    try {
      assert.equal(described.KeyMetadata?.CurrentKeyMaterialId, seededMaterialId(symmetricArn(), seed.keys[0]!.materials[1]!.material));
    } finally {
      seed.wipe();
    }
  });

  test('the seeded metadata is what the file says: aliases, tags, rotation, state, policy', async () => {
    const aliases = await kmsB.send(new ListAliasesCommand({}));
    assert.deepEqual(aliases.Aliases?.map((alias) => alias.AliasName).sort(), ['alias/app-data', 'alias/wallet', 'alias/webhook-mac']);
    const tags = await kmsB.send(new ListResourceTagsCommand({ KeyId: EXAMPLE.symmetricKeyId }));
    assert.deepEqual(tags.Tags, [{ TagKey: 'team', TagValue: 'payments' }, { TagKey: 'env', TagValue: 'test' }]);
    const disabled = await kmsB.send(new DescribeKeyCommand({ KeyId: EXAMPLE.generatedKeyId }));
    assert.equal(disabled.KeyMetadata?.KeyState, 'Disabled');
    assert.equal(disabled.KeyMetadata?.Description, 'generated material, disabled');
    const { Policy } = await kmsB.send(new GetKeyPolicyCommand({ KeyId: EXAMPLE.generatedKeyId }));
    assert.equal(JSON.parse(Policy ?? '{}').Statement[0].Sid, 'Enable IAM policies');
    const key = await b.node.store.keys.get(SCOPES[0]!, EXAMPLE.symmetricKeyId);
    assert.equal(key?.rotation.enabled, true);
    assert.equal(key?.rotation.periodInDays, 180);
  });

  test('the HMAC key computes the MAC node:crypto computes with the same material', async () => {
    const message = Buffer.from('webhook body');
    const { Mac } = await kmsB.send(new GenerateMacCommand({ KeyId: 'alias/webhook-mac', MacAlgorithm: 'HMAC_SHA_256', Message: message }));
    const expected = createHmac('sha256', Buffer.from(EXAMPLE.hmacMaterial, 'base64')).update(message).digest();
    assert.deepEqual(Buffer.from(Mac ?? []), expected);
  });

  test('the secp256k1 key has the PEM\'s public key, and its signatures verify with it', async () => {
    const text = await readFile(EXAMPLE_SEED, 'utf8');
    const pem = /(-----BEGIN EC PRIVATE KEY-----[\s\S]+?-----END EC PRIVATE KEY-----)/.exec(text)![1]!.replace(/^\s+/gm, '');
    const expected = createPublicKey(pem).export({ format: 'der', type: 'spki' });
    const { PublicKey } = await kmsB.send(new GetPublicKeyCommand({ KeyId: 'alias/wallet' }));
    assert.deepEqual(Buffer.from(PublicKey ?? []), expected);
    const message = Buffer.from('transfer');
    const { Signature } = await kmsB.send(new SignCommand({ KeyId: 'alias/wallet', Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
    assert.ok(verifySignature('sha256', message, createPublicKey(pem), Buffer.from(Signature ?? [])));
  });

  test('the ML-DSA key is the one its seed makes (FIPS 204 key generation)', async () => {
    const { PublicKey } = await kmsB.send(new GetPublicKeyCommand({ KeyId: EXAMPLE.mlDsaKeyId }));
    const seed = Buffer.from('XkZBILDH+184qOG7bYnsZuOrUAWrSeSg2SRZuQ5agVI=', 'base64');
    const raw = ml_dsa65.keygen(seed).publicKey;
    assert.deepEqual(Buffer.from(PublicKey ?? []).subarray(-raw.length), Buffer.from(raw));
  });

  test('keys seeded into the development account are reachable with test/test in development mode', async () => {
    const dev = b.kms('eu-west-1', { accessKeyId: 'test', secretAccessKey: 'test' });
    const { KeyMetadata } = await dev.send(new DescribeKeyCommand({ KeyId: EXAMPLE.p256KeyId }));
    assert.equal(KeyMetadata?.KeyUsage, 'KEY_AGREEMENT');
    assert.equal(KeyMetadata?.MultiRegion, false);
  });

  test('applying the same file twice changes nothing', async () => {
    const before = await snapshot(b.node);
    const outcome = await seedWith(b.node, await readSeedFile(EXAMPLE_SEED));
    assert.deepEqual(outcome, {
      accountsCreated: 0, accessKeysCreated: 0, keysCreated: 0, materialVersionsAdded: 0, aliasesCreated: 0, keysUnchanged: 6, notes: [],
    });
    assert.equal(await snapshot(b.node), before);
  });

  test('a new last version is added and becomes current; rotations made since are kept', async () => {
    await kmsA.send(new RotateKeyOnDemandCommand({ KeyId: EXAMPLE.symmetricKeyId }));
    const outcome = await seedWith(a.node, await readSeedFile(EXAMPLE_SEED));
    assert.equal(outcome.materialVersionsAdded, 1);
    const materials = await a.node.store.keys.listMaterials(symmetricArn());
    assert.equal(materials.length, 3);
    const described = await kmsA.send(new DescribeKeyCommand({ KeyId: EXAMPLE.symmetricKeyId }));
    assert.equal(described.KeyMetadata?.CurrentKeyMaterialId, materials[2]!.id);
    // The same file again: nothing to do, although the key has a version the file does not know.
    const before = await snapshot(a.node);
    await seedWith(a.node, await readSeedFile(EXAMPLE_SEED));
    assert.equal(await snapshot(a.node), before);
  });

  test('a key that disagrees with the file in what never changes refuses the whole file, naming the entry', async () => {
    const before = await snapshot(b.node);
    const other = await exampleWithMaterials(['q1N2c3RvbmVzYXJlbm90a2V5bWF0ZXJpYWxfX19fX18=']);
    await assert.rejects(seedWith(b.node, other), (error: unknown) => {
      assert.ok(error instanceof SeedFileError);
      assert.deepEqual(error.problems.map((problem) => problem.path), ['keys[0].materials[0]']);
      assert.match(error.message, /keys\[0\]\.materials\[0\]: key arn:aws:kms:us-east-1:111122223333:key\/1f3e6a6b-\S+ exists with other key material/);
      return true;
    });
    const changedSpec = (await readFile(EXAMPLE_SEED, 'utf8')).replace('spec: HMAC_256', 'spec: HMAC_512').replace(EXAMPLE.hmacMaterial, Buffer.alloc(64, 7).toString('base64'));
    await assert.rejects(seedWith(b.node, parseSeedText(changedSpec, 'seed.yaml', 'yaml')), /keys\[2\]\.spec: key \S+ exists with spec HMAC_256/);
    const movedAlias = (await readFile(EXAMPLE_SEED, 'utf8')).replace('aliases: [alias/app-data]', 'aliases: [alias/wallet]').replace('aliases: [alias/wallet]\n    material: |', 'material: |');
    await assert.rejects(seedWith(b.node, parseSeedText(movedAlias, 'seed.yaml', 'yaml')), /keys\[0\]\.aliases\[0\]: alias\/wallet exists and points to key 3515a449/);
    assert.equal(await snapshot(b.node), before);
  });

  test('what can change through the API is left as it is, with a note', async () => {
    await kmsB.send(new UpdateKeyDescriptionCommand({ KeyId: EXAMPLE.hmacKeyId, Description: 'changed' }));
    const outcome = await seedWith(b.node, await readSeedFile(EXAMPLE_SEED));
    assert.deepEqual(outcome.notes, [
      `keys[2]: key arn:aws:kms:us-east-1:111122223333:key/${EXAMPLE.hmacKeyId} exists; its description differs from the file and was left as it is`,
    ]);
    const { KeyMetadata } = await kmsB.send(new DescribeKeyCommand({ KeyId: EXAMPLE.hmacKeyId }));
    assert.equal(KeyMetadata?.Description, 'changed');
  });
});

describe('seeded asymmetric keys', () => {
  test('RSA, P-384 and Ed25519 keys have their PEM\'s public key, and node:crypto verifies their signatures', async () => {
    const server = await startTestServer();
    try {
      const keys = [
        { id: '5c1d7a52-8e0f-4d3b-9a64-2f7e1c3b8d90', spec: 'RSA_3072', pem: pemKey('rsa', { modulusLength: 3072 }), algorithm: 'RSASSA_PKCS1_V1_5_SHA_256', hash: 'sha256' },
        { id: '6d2e8b63-9f10-4e4c-8b75-3a8f2d4c9ea1', spec: 'ECC_NIST_P384', pem: pemKey('ec', { namedCurve: 'secp384r1' }), algorithm: 'ECDSA_SHA_384', hash: 'sha384' },
        { id: '7e3f9c74-a021-4f5d-9c86-4b9a3e5dafb2', spec: 'ECC_NIST_EDWARDS25519', pem: pemKey('ed25519'), algorithm: 'ED25519_SHA_512', hash: null },
      ] as const;
      // Seeded into the administrator's account, whose credentials the test server's client has.
      const text = [
        'version: 1',
        `defaults: { account: "${server.accountId}" }`,
        'keys:',
        ...keys.map((key) => `  - id: ${key.id}\n    spec: ${key.spec}\n    usage: SIGN_VERIFY\n    material: ${block(key.pem)}`),
      ].join('\n');
      await seedWith(server.node, parseSeedText(text, 'seed.yaml', 'yaml'));
      const kms = server.kms();
      const message = Buffer.from('signed by a seeded key');
      for (const key of keys) {
        const publicKey = createPublicKey(key.pem);
        const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: key.id }));
        assert.deepEqual(Buffer.from(PublicKey ?? []), publicKey.export({ format: 'der', type: 'spki' }), key.spec);
        const { Signature } = await kms.send(new SignCommand({ KeyId: key.id, Message: message, SigningAlgorithm: key.algorithm }));
        assert.ok(verifySignature(key.hash, message, publicKey, Buffer.from(Signature ?? [])), key.spec);
      }
    } finally {
      await server.stop();
    }
  });
});
