import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { KeySpec, SigningAlgorithm } from '../../../src/keys/key-spec.js';
import { loadPublicKey, verify } from '../../../src/crypto/asymmetric/index.js';
import { hexField, OutcomeTally, wycheproof } from './wycheproof-vectors.js';

/**
 * Wycheproof RSASSA-PSS and RSASSA-PKCS1-v1_5 verification vectors, through `loadPublicKey` + `verify`.
 *
 * Policies these tests pin:
 * - PSS salt length is the digest length, as AWS signs; a signature with another salt length (the
 *   sha512/salt-32 file) is rejected even where Wycheproof calls it valid for that parameter set.
 * - PKCS#1 v1.5 "acceptable" cases (DigestInfo without the NULL parameter) are rejected: AWS and OpenSSL
 *   only produce the NULL form, and accepting a second encoding is malleability for nothing.
 * - DIGEST verification (PKCS#1 v1.5 and PSS, our paths over `publicDecrypt`) gives the same answers as RAW.
 */

const SHA_TO_SUFFIX: Readonly<Record<string, string>> = { 'SHA-256': 'SHA_256', 'SHA-384': 'SHA_384', 'SHA-512': 'SHA_512' };
const SHA_TO_NODE: Readonly<Record<string, string>> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function runFile(
  file: string,
  padding: 'PSS' | 'PKCS1_V1_5',
  expected: Record<string, number>,
  total: number,
  alsoDigest: boolean,
): void {
  const vectors = wycheproof(file);
  test(file, { skip: vectors.skip }, () => {
    const data = vectors.load();
    assert.equal(data.numberOfTests, total);
    const tally = new OutcomeTally();
    for (const group of data.testGroups) {
      const spec = `RSA_${String(group['keySize'])}` as KeySpec;
      const sha = String(group['sha']);
      const algorithm = `RSASSA_${padding}_${SHA_TO_SUFFIX[sha] ?? '?'}` as SigningAlgorithm;
      const publicKey = loadPublicKey(hexField(group, 'publicKeyDer'), spec);
      for (const testCase of group.tests) {
        const message = hexField(testCase, 'msg');
        const signature = hexField(testCase, 'sig');
        const accepted = verify(publicKey, algorithm, message, 'RAW', signature);
        tally.add(`${testCase.result}:${accepted ? 'accepted' : 'rejected'}`);
        if (alsoDigest) {
          const digest = createHash(SHA_TO_NODE[sha] ?? '?').update(message).digest();
          const viaDigest = verify(publicKey, algorithm, digest, 'DIGEST', signature);
          assert.equal(viaDigest, accepted, `tcId ${testCase.tcId}: DIGEST and RAW verification disagree`);
        }
      }
    }
    assert.equal(tally.total, total);
    assert.deepEqual(tally.toObject(), expected);
  });
}

describe('Wycheproof RSASSA-PSS (salt length = digest length; RAW and DIGEST)', () => {
  runFile('rsa_pss_2048_sha256_mgf1_32_test.json', 'PSS', { 'invalid:rejected': 45, 'valid:accepted': 63 }, 108, true);
  runFile('rsa_pss_2048_sha384_mgf1_48_test.json', 'PSS', { 'invalid:rejected': 46, 'valid:accepted': 95 }, 141, true);
  runFile('rsa_pss_3072_sha256_mgf1_32_test.json', 'PSS', { 'invalid:rejected': 45, 'valid:accepted': 63 }, 108, true);
  runFile('rsa_pss_4096_sha256_mgf1_32_test.json', 'PSS', { 'invalid:rejected': 45, 'valid:accepted': 63 }, 108, true);
  runFile('rsa_pss_4096_sha384_mgf1_48_test.json', 'PSS', { 'invalid:rejected': 46, 'valid:accepted': 95 }, 141, true);
  runFile('rsa_pss_4096_sha512_mgf1_64_test.json', 'PSS', { 'invalid:rejected': 47, 'valid:accepted': 132 }, 179, true);
  // Salt of 32 bytes with SHA-512: valid PSS, but not AWS's RSASSA_PSS_SHA_512 (salt 64), so all rejected.
  runFile('rsa_pss_4096_sha512_mgf1_32_test.json', 'PSS', { 'invalid:rejected': 45, 'valid:rejected': 132 }, 177, true);
});

describe('Wycheproof RSASSA-PKCS1-v1_5 (RAW and DIGEST)', () => {
  const files: ReadonlyArray<[string, number, number, number]> = [
    // file, valid, invalid, total (one "acceptable" MissingNull case each)
    ['rsa_signature_2048_sha256_test.json', 9, 249, 259],
    ['rsa_signature_2048_sha384_test.json', 7, 250, 258],
    ['rsa_signature_2048_sha512_test.json', 8, 250, 259],
    ['rsa_signature_3072_sha256_test.json', 8, 250, 259],
    ['rsa_signature_3072_sha384_test.json', 7, 251, 259],
    ['rsa_signature_3072_sha512_test.json', 8, 251, 260],
    ['rsa_signature_4096_sha256_test.json', 7, 250, 258],
    ['rsa_signature_4096_sha384_test.json', 7, 251, 259],
    ['rsa_signature_4096_sha512_test.json', 7, 251, 259],
  ];
  for (const [file, valid, invalid, total] of files) {
    runFile(file, 'PKCS1_V1_5', { 'acceptable:rejected': 1, 'invalid:rejected': invalid, 'valid:accepted': valid }, total, true);
  }
});
