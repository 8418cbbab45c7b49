import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { MacAlgorithm } from '../../src/keys/key-spec.js';
import { generateHmacKey, HMAC_KEY_BYTES, hmacGenerate, hmacTagLength, hmacVerify } from '../../src/crypto/hmac.js';
import { InvalidSignatureInputError, UnsupportedAlgorithmError } from '../../src/crypto/asymmetric/crypto-errors.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { hexField, OutcomeTally, wycheproof } from './asymmetric/wycheproof-vectors.js';

/**
 * Wycheproof HMAC vectors through `hmacGenerate` / `hmacVerify`.
 *
 * Tag-size policy: our MACs are always full length and `hmacVerify` accepts only full-length tags. For
 * the vectors' truncated tags we therefore assert that verification refuses them, and separately that the
 * prefix of our full tag equals the valid truncated tag (so the computation itself is proven for every case).
 */

function runFile(file: string, algorithm: MacAlgorithm, expected: Record<string, number>, total: number): void {
  const vectors = wycheproof(file);
  test(`${file} as ${algorithm}`, { skip: vectors.skip }, () => {
    const data = vectors.load();
    assert.equal(data.numberOfTests, total);
    const fullTagBits = hmacTagLength(algorithm) * 8;
    const tally = new OutcomeTally();
    for (const group of data.testGroups) {
      const truncated = group['tagSize'] !== fullTagBits;
      for (const testCase of group.tests) {
        const key = SecretBytes.copyOf(hexField(testCase, 'key'));
        const message = hexField(testCase, 'msg');
        const tag = hexField(testCase, 'tag');
        const verified = hmacVerify(key, algorithm, message, tag);
        const prefixMatches = hmacGenerate(key, algorithm, message).subarray(0, tag.length).equals(tag);
        assert.equal(prefixMatches, testCase.result === 'valid', `tcId ${testCase.tcId}: computed tag`);
        tally.add(`${testCase.result}${truncated ? '-truncated' : ''}:${verified ? 'verified' : 'refused'}`);
      }
    }
    assert.equal(tally.total, total);
    assert.deepEqual(tally.toObject(), expected);
  });
}

describe('Wycheproof HMAC (full-length tags only)', () => {
  // Per file: 3 full-tag groups and 3 truncated-tag groups (key sizes: digest, half, 520 bits).
  runFile('hmac_sha224_test.json', 'HMAC_SHA_224',
    { 'invalid-truncated:refused': 52, 'invalid:refused': 54, 'valid-truncated:refused': 33, 'valid:verified': 33 }, 172);
  runFile('hmac_sha256_test.json', 'HMAC_SHA_256',
    { 'invalid-truncated:refused': 54, 'invalid:refused': 54, 'valid-truncated:refused': 33, 'valid:verified': 33 }, 174);
  runFile('hmac_sha384_test.json', 'HMAC_SHA_384',
    { 'invalid-truncated:refused': 54, 'invalid:refused': 54, 'valid-truncated:refused': 33, 'valid:verified': 33 }, 174);
  runFile('hmac_sha512_test.json', 'HMAC_SHA_512',
    { 'invalid-truncated:refused': 54, 'invalid:refused': 54, 'valid-truncated:refused': 33, 'valid:verified': 33 }, 174);
});

describe('HMAC API', () => {
  test('tags are the full digest length for every algorithm', () => {
    const key = SecretBytes.random(32);
    const lengths = (['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const).map(
      (algorithm) => hmacGenerate(key, algorithm, Buffer.from('m')).length,
    );
    assert.deepEqual(lengths, [28, 32, 48, 64]);
  });

  test('generated keys have AWS sizes: HMAC_224 224 bits … HMAC_512 512 bits', () => {
    assert.deepEqual(HMAC_KEY_BYTES, { HMAC_224: 28, HMAC_256: 32, HMAC_384: 48, HMAC_512: 64 });
    assert.equal(generateHmacKey('HMAC_384', randomBytes).length, 48);
  });

  test('a MAC verifies only with its key, algorithm and message', () => {
    const key = SecretBytes.random(32);
    const mac = hmacGenerate(key, 'HMAC_SHA_256', Buffer.from('message'));
    assert.equal(hmacVerify(key, 'HMAC_SHA_256', Buffer.from('message'), mac), true);
    assert.equal(hmacVerify(SecretBytes.random(32), 'HMAC_SHA_256', Buffer.from('message'), mac), false);
    assert.equal(hmacVerify(key, 'HMAC_SHA_256', Buffer.from('messagf'), mac), false);
    assert.equal(hmacVerify(key, 'HMAC_SHA_384', Buffer.from('message'), mac), false);
    assert.equal(hmacVerify(key, 'HMAC_SHA_256', Buffer.from('message'), Buffer.concat([mac, Buffer.alloc(1)])), false);
    assert.equal(hmacVerify(key, 'HMAC_SHA_256', Buffer.from('message'), Buffer.alloc(0)), false);
  });

  test('an empty key and an unknown algorithm are refused', () => {
    assert.throws(() => hmacGenerate(SecretBytes.adopt(Buffer.alloc(0)), 'HMAC_SHA_256', Buffer.from('m')), InvalidSignatureInputError);
    assert.throws(() => hmacGenerate(SecretBytes.random(32), 'HMAC_MD5' as MacAlgorithm, Buffer.from('m')), UnsupportedAlgorithmError);
  });
});
