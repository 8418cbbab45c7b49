import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EncryptionAlgorithm, KeySpec } from '../../../src/keys/key-spec.js';
import { DecryptionFailedError, loadPrivateKey, rsaOaepDecrypt } from '../../../src/crypto/asymmetric/index.js';
import { SecretBytes } from '../../../src/crypto/secret-bytes.js';
import { hexField, OutcomeTally, wycheproof } from './wycheproof-vectors.js';

/**
 * Wycheproof RSA-OAEP decryption vectors through `loadPrivateKey` (the vectors' PKCS#8) + `rsaOaepDecrypt`.
 *
 * AWS's OAEP has an empty label and MGF1 with the OAEP hash; our API has no label parameter. So:
 * - valid cases with an empty label must decrypt to the message;
 * - valid cases with a label must fail (the ciphertext binds another label);
 * - in the mixed files (OAEP SHA-256 with MGF1-SHA-1, which AWS does not offer) every case must fail
 *   under RSAES_OAEP_SHA_256, proving MGF1 really uses SHA-256;
 * - every invalid case must fail, always with the same uninformative DecryptionFailedError.
 */

function runFile(file: string, algorithm: EncryptionAlgorithm, expected: Record<string, number>, total: number): void {
  const vectors = wycheproof(file);
  test(`${file} as ${algorithm}`, { skip: vectors.skip }, () => {
    const data = vectors.load();
    assert.equal(data.numberOfTests, total);
    const tally = new OutcomeTally();
    for (const group of data.testGroups) {
      const spec = `RSA_${String(group['keySize'])}` as KeySpec;
      const handle = loadPrivateKey(SecretBytes.copyOf(hexField(group, 'privateKeyPkcs8')), spec);
      for (const testCase of group.tests) {
        const labelled = hexField(testCase, 'label').length > 0 ? '-with-label' : '';
        let plaintext: SecretBytes | undefined;
        try {
          plaintext = rsaOaepDecrypt(handle, algorithm, hexField(testCase, 'ct'));
        } catch (error) {
          assert.ok(error instanceof DecryptionFailedError, `tcId ${testCase.tcId}: ${String(error)}`);
          assert.equal(error.message, 'decryption failed');
        }
        if (plaintext !== undefined) {
          assert.deepEqual(plaintext.expose(), hexField(testCase, 'msg'), `tcId ${testCase.tcId}`);
        }
        tally.add(`${testCase.result}${labelled}:${plaintext === undefined ? 'rejected' : 'decrypted'}`);
      }
    }
    assert.equal(tally.total, total);
    assert.deepEqual(tally.toObject(), expected);
  });
}

describe('Wycheproof RSA-OAEP, AWS parameters (empty label, MGF1 = OAEP hash)', () => {
  runFile('rsa_oaep_2048_sha1_mgf1sha1_test.json', 'RSAES_OAEP_SHA_1',
    { 'invalid:rejected': 19, 'valid-with-label:rejected': 7, 'valid:decrypted': 10 }, 36);
  runFile('rsa_oaep_2048_sha256_mgf1sha256_test.json', 'RSAES_OAEP_SHA_256',
    { 'invalid:rejected': 19, 'valid-with-label:rejected': 8, 'valid:decrypted': 10 }, 37);
  runFile('rsa_oaep_3072_sha256_mgf1sha256_test.json', 'RSAES_OAEP_SHA_256',
    { 'invalid:rejected': 19, 'valid-with-label:rejected': 8, 'valid:decrypted': 10 }, 37);
  runFile('rsa_oaep_4096_sha256_mgf1sha256_test.json', 'RSAES_OAEP_SHA_256',
    { 'invalid:rejected': 19, 'valid-with-label:rejected': 8, 'valid:decrypted': 10 }, 37);
});

describe('Wycheproof RSA-OAEP with MGF1-SHA-1 under SHA-256 (not an AWS algorithm): all rejected', () => {
  runFile('rsa_oaep_2048_sha256_mgf1sha1_test.json', 'RSAES_OAEP_SHA_256',
    { 'invalid:rejected': 18, 'valid-with-label:rejected': 3, 'valid:rejected': 10 }, 31);
  runFile('rsa_oaep_3072_sha256_mgf1sha1_test.json', 'RSAES_OAEP_SHA_256',
    { 'invalid:rejected': 19, 'valid-with-label:rejected': 3, 'valid:rejected': 10 }, 32);
  runFile('rsa_oaep_4096_sha256_mgf1sha1_test.json', 'RSAES_OAEP_SHA_256',
    { 'invalid:rejected': 19, 'valid-with-label:rejected': 3, 'valid:rejected': 10 }, 32);
});
