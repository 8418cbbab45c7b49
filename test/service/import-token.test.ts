import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RootKey } from '../../src/crypto/root-key.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { ExpiredImportTokenException, InvalidImportTokenException } from '../../src/errors.js';
import { openImportToken, sealImportToken } from '../../src/service/importing/import-token.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/0b7a1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d';
const OTHER_KEY = 'arn:aws:kms:us-east-1:111122223333:key/1c8b2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e';
const NOW = Date.UTC(2026, 0, 1);

describe('import tokens', () => {
  let directory = '';
  let rootKey: RootKey;
  const privateKey = randomBytes(1200);
  const seal = () => sealImportToken(rootKey, {
    keyArn: KEY,
    algorithm: 'RSA_AES_KEY_WRAP_SHA_256',
    wrappingKeySpec: 'RSA_3072',
    validTo: NOW + 1000,
    wrappingPrivateKey: SecretBytes.copyOf(privateKey),
  });
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'strongroom-import-token-'));
    rootKey = await RootKey.loadOrCreate(join(directory, 'root.key'));
  });
  after(() => rm(directory, { recursive: true, force: true }));

  test('a token opens, for its key and before it expires, to the parameters it was sealed with', () => {
    const opened = openImportToken(rootKey, KEY, seal(), NOW);
    assert.equal(opened.algorithm, 'RSA_AES_KEY_WRAP_SHA_256');
    assert.equal(opened.wrappingKeySpec, 'RSA_3072');
    assert.equal(opened.validTo, NOW + 1000);
    assert.deepEqual(opened.wrappingPrivateKey.expose(), privateKey);
  });

  test('the wrapping private key is not in the token in clear', () => {
    assert.equal(seal().indexOf(privateKey.subarray(0, 32)), -1);
  });

  test('a token of another key, an edited header or a truncated token is InvalidImportTokenException', () => {
    const token = seal();
    assert.throws(() => openImportToken(rootKey, OTHER_KEY, token, NOW), InvalidImportTokenException);
    const later = Buffer.from(token);
    later.writeBigUInt64BE(BigInt(NOW + 10 * 86_400_000), 1); // a longer life, forged
    assert.throws(() => openImportToken(rootKey, KEY, later, NOW), InvalidImportTokenException);
    const otherAlgorithm = Buffer.from(token);
    otherAlgorithm[9] = 0;
    assert.throws(() => openImportToken(rootKey, KEY, otherAlgorithm, NOW), InvalidImportTokenException);
    for (const bad of [token.subarray(0, 11), Buffer.alloc(0), randomBytes(200)]) {
      assert.throws(() => openImportToken(rootKey, KEY, bad, NOW), InvalidImportTokenException);
    }
  });

  test('an authentic token past its validTo is ExpiredImportTokenException', () => {
    assert.throws(() => openImportToken(rootKey, KEY, seal(), NOW + 1000), ExpiredImportTokenException);
  });
});
