import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSeedText, readSeedFile } from '../../src/service/seeding/parse-seed-file.js';
import { SeedFileError } from '../../src/service/seeding/seed-file-error.js';
import { seededMaterialId } from '../../src/service/seeding/seeded-material.js';
import { base64Bytes, block, EXAMPLE, EXAMPLE_SEED, pemKey } from './seed-fixtures.js';

const KEY_ID = '0a6f1c9e-2b7d-4e35-9c1a-5d8e7f6a4b3c';

/** The problems a file has, as `path: reason` lines (the error lists them one a line). */
function problemsOf(text: string, syntax: 'yaml' | 'json' = 'yaml'): string[] {
  try {
    parseSeedText(text, 'seed.yaml', syntax).wipe();
  } catch (error) {
    assert.ok(error instanceof SeedFileError, String(error));
    return error.problems.map((problem) => `${problem.path}: ${problem.reason}`);
  }
  assert.fail('the file was accepted');
}

function keyFile(fields: string): string {
  return `version: 1\nkeys:\n  - id: ${KEY_ID}\n${fields.replace(/^/gm, '    ')}\n`;
}

describe('reading a seed file', () => {
  test('the example of docs/seeding.md is valid, with every spec and field it shows', async () => {
    const seed = await readSeedFile(EXAMPLE_SEED);
    try {
      assert.equal(seed.source, 'seed.yaml');
      assert.deepEqual(seed.accounts.map((account) => [account.id, account.accessKeys.map((key) => key.accessKeyId)]), [
        [EXAMPLE.accountId, [EXAMPLE.accessKeyId]],
      ]);
      const symmetric = seed.keys[0]!;
      assert.deepEqual(symmetric.scope, { accountId: EXAMPLE.accountId, region: 'us-east-1' });
      assert.equal(symmetric.materials.length, 2);
      assert.deepEqual(symmetric.rotation, { enabled: true, periodInDays: 180 });
      assert.deepEqual(symmetric.tags, [{ key: 'team', value: 'payments' }, { key: 'env', value: 'test' }]);
      assert.deepEqual(seed.keys.map((key) => [key.spec, key.usage]), [
        ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'],
        ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'],
        ['HMAC_256', 'GENERATE_VERIFY_MAC'],
        ['ECC_SECG_P256K1', 'SIGN_VERIFY'],
        ['ECC_NIST_P256', 'KEY_AGREEMENT'],
        ['ML_DSA_65', 'SIGN_VERIFY'],
      ]);
      assert.equal(seed.keys[1]!.enabled, false);
      assert.equal(JSON.parse(seed.keys[1]!.policy ?? '{}').Statement[0].Sid, 'Enable IAM policies');
      assert.deepEqual(seed.keys[4]!.scope, { accountId: '000000000000', region: 'eu-west-1' });
    } finally {
      seed.wipe();
    }
  });

  test('a PEM key of another curve names the entry and the spec it is not', () => {
    const text = keyFile(`spec: ECC_SECG_P256K1\nmaterial: ${block(pemKey('ec', { namedCurve: 'prime256v1' }))}`);
    assert.deepEqual(problemsOf(text), ['keys[0].material: not a PEM private key of spec ECC_SECG_P256K1']);
  });

  test('an RSA key of another size, a public key and an encrypted key are refused as PEM private keys', () => {
    assert.deepEqual(problemsOf(keyFile(`spec: RSA_3072\nusage: SIGN_VERIFY\nmaterial: ${block(pemKey('rsa'))}`)), [
      'keys[0].material: not a PEM private key of spec RSA_3072',
    ]);
    const publicPem = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----';
    assert.deepEqual(problemsOf(keyFile(`spec: ECC_NIST_P256\nusage: SIGN_VERIFY\nmaterial: ${block(publicPem)}`)), [
      'keys[0].material: not a PEM private key of spec ECC_NIST_P256',
    ]);
    const encrypted = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----';
    assert.match(problemsOf(keyFile(`spec: ECC_NIST_P256\nusage: SIGN_VERIFY\nmaterial: ${block(encrypted)}`))[0]!, /encrypted PEM private key/);
  });

  test('material lengths follow the spec: 32 bytes symmetric, AWS\'s HMAC ranges, a 32-byte ML-DSA seed', () => {
    assert.deepEqual(problemsOf(keyFile(`material: ${base64Bytes(16)}`)), [
      'keys[0].material: spec SYMMETRIC_DEFAULT takes 32 bytes (256 bits), not 16',
    ]);
    assert.deepEqual(problemsOf(keyFile(`spec: HMAC_224\nmaterial: ${base64Bytes(27)}`)), [
      'keys[0].material: spec HMAC_224 takes 28 to 128 bytes of HMAC key material, not 27',
    ]);
    assert.deepEqual(problemsOf(keyFile(`spec: HMAC_384\nmaterial: ${base64Bytes(129)}`)), [
      'keys[0].material: spec HMAC_384 takes 48 to 128 bytes of HMAC key material, not 129',
    ]);
    assert.deepEqual(problemsOf(keyFile(`spec: ML_DSA_44\nmaterial: ${base64Bytes(64)}`)), [
      'keys[0].material: spec ML_DSA_44 takes a seed of 32 bytes, not 64',
    ]);
    assert.deepEqual(problemsOf(keyFile('material: not*base64')), ['keys[0].material: not 32 bytes of base64 for spec SYMMETRIC_DEFAULT']);
    for (const [spec, bytes] of [['HMAC_224', 64], ['HMAC_512', 128], ['HMAC_256', 32]] as const) {
      parseSeedText(keyFile(`spec: ${spec}\nmaterial: ${base64Bytes(bytes)}`), 'seed.yaml', 'yaml').wipe();
    }
  });

  test('every problem of a file is reported at once, each with its path', () => {
    const text = [
      'version: 1',
      'accounts:',
      '  - id: 000000000000',
      '    accessKeys:',
      '      - { accessKeyId: AKIASHORT, secretAccessKey: short }',
      'keys:',
      `  - id: not-a-key-id`,
      '    descripton: typo',
      `  - id: ${KEY_ID}`,
      '    spec: RSA_2048',
      `  - id: ${KEY_ID}`,
      '    spec: HMAC_256',
      '    rotation: { enabled: true }',
      '    aliases: [alias/aws/s3, app]',
      '    tags: { "aws:owner": x }',
    ].join('\n');
    assert.deepEqual(problemsOf(text), [
      'accounts[0].id: must be a string (12 digits, in quotes), not a number (put it in quotes)',
      'accounts[0].accessKeys[0].accessKeyId: must be 16 to 128 upper-case letters and digits, not beginning with ASIA',
      'accounts[0].accessKeys[0].secretAccessKey: must be 16 to 128 printable characters without spaces',
      'keys[0].descripton: unknown field (known here: id, account, region, spec, usage, description, enabled, aliases, tags, policy, rotation, material, materials)',
      'keys[0].id: must be a UUID, or mrk- and 32 hexadecimal digits',
      'keys[1].usage: is required for spec RSA_2048 (one of ENCRYPT_DECRYPT, SIGN_VERIFY)',
      'keys[2].tags: Tags beginning with aws: are reserved',
      'keys[2].aliases[0]: alias/aws/s3 is not a valid alias name: the alias/aws/ prefix is reserved for AWS managed keys.',
      'keys[2].aliases[1]: must be an alias name: alias/ and up to 250 of a-z, A-Z, 0-9, /, _ and -',
      'keys[2].rotation: keys of spec HMAC_256 do not rotate (only symmetric encryption keys do)',
    ]);
  });

  test('the same key, alias or access key twice is refused, naming where it was first', () => {
    const text = [
      'version: 1',
      'keys:',
      `  - { id: ${KEY_ID}, aliases: [alias/app] }`,
      `  - { id: ${KEY_ID} }`,
      `  - { id: ${KEY_ID.replace('0a', '1a')}, aliases: [alias/app] }`,
      `  - { id: ${KEY_ID.replace('0a', '2a')}, aliases: [alias/app], region: eu-west-1 }`,
    ].join('\n');
    assert.deepEqual(problemsOf(text), [
      `keys[1].id: key ${KEY_ID} of account 000000000000 in us-east-1 is already in keys[0].id`,
      'keys[2].aliases[0]: alias/app of account 000000000000 in us-east-1 is already in keys[0].aliases[0]',
    ]);
  });

  test('a file without its version, or of another, is refused', () => {
    assert.deepEqual(problemsOf('keys: []'), ['version: is required and must be 1']);
    assert.deepEqual(problemsOf('version: 2'), ['version: is required and must be 1']);
  });

  test('several versions only for symmetric encryption keys; material or materials, not both', () => {
    assert.deepEqual(problemsOf(keyFile(`spec: HMAC_256\nmaterials: [${base64Bytes(32)}, ${base64Bytes(32)}]`)), [
      'keys[0].materials: keys of spec HMAC_256 have one material version (only symmetric encryption keys rotate)',
    ]);
    assert.deepEqual(problemsOf(keyFile(`material: ${base64Bytes(32)}\nmaterials: [${base64Bytes(32)}]`)), [
      'keys[0]: give material (one version) or materials (a list, oldest first), not both',
    ]);
  });

  test('syntax errors give a position and never quote the file (it holds secrets)', () => {
    const secret = 'S3cretMaterialThatMustNotLeak';
    const yaml = problemsOf(`version: 1\nkeys:\n  - id: x\n    material: "${secret}\n`);
    assert.equal(yaml.length, 1);
    assert.match(yaml[0]!, /^: not valid YAML at line \d+, column \d+/);
    const json = problemsOf(`{"version": 1, "keys": [{"id": "x", "material": ${secret}}]}`, 'json');
    assert.equal(json.length, 1);
    assert.match(json[0]!, /^: not valid JSON/);
    for (const line of [...yaml, ...json]) assert.ok(!line.includes(secret), line);
  });

  test('JSON files are read as JSON', () => {
    const seed = parseSeedText(JSON.stringify({ version: 1, keys: [{ id: KEY_ID, material: base64Bytes(32) }] }), 'seed.json', 'json');
    assert.equal(seed.keys[0]!.id, KEY_ID);
    seed.wipe();
  });

  test('a material id is derived from the key ARN and the material: the same on every machine, another per key', async () => {
    const seed = await readSeedFile(EXAMPLE_SEED);
    try {
      const material = seed.keys[0]!.materials[0]!.material;
      const arn = `arn:aws:kms:us-east-1:${EXAMPLE.accountId}:key/${EXAMPLE.symmetricKeyId}`;
      assert.match(seededMaterialId(arn, material), /^[0-9a-f]{64}$/);
      assert.equal(seededMaterialId(arn, material), seededMaterialId(arn, { ...material }));
      assert.notEqual(seededMaterialId(arn, material), seededMaterialId(arn.replace('us-east-1', 'eu-west-1'), material));
      assert.notEqual(seededMaterialId(arn, material), seededMaterialId(arn, seed.keys[0]!.materials[1]!.material));
    } finally {
      seed.wipe();
    }
  });
});
