import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KeySpec } from '../../../src/keys/key-spec.js';
import { InvalidPublicKeyError, loadPublicKey, verify } from '../../../src/crypto/asymmetric/index.js';
import { encodeMlDsaSpki } from '../../../src/crypto/asymmetric/ml-dsa-keys.js';
import type { MlDsaLevel } from '../../../src/crypto/asymmetric/asymmetric-key-kind.js';
import { hexField, OutcomeTally, wycheproof } from './wycheproof-vectors.js';

/**
 * Wycheproof ML-DSA verification vectors through `loadPublicKey` (DER SPKI) + `verify`.
 *
 * AWS's ML_DSA_SHAKE_256 is pure ML-DSA with an empty context, and our API has no context parameter. So
 * the few cases that carry a non-empty `ctx` are run with the empty context too and must be rejected:
 * valid ones because the signature binds another context, invalid ones (over-long contexts) regardless.
 * Groups whose public key is malformed are refused by `loadPublicKey`; each of their cases counts as
 * rejected ("key-refused").
 */

function runFile(file: string, level: MlDsaLevel, expected: Record<string, number>, total: number): void {
  const vectors = wycheproof(file);
  const spec = `ML_DSA_${level}` as KeySpec;
  test(`${file} as ${spec}`, { skip: vectors.skip }, () => {
    const data = vectors.load();
    assert.equal(data.numberOfTests, total);
    const tally = new OutcomeTally();
    for (const group of data.testGroups) {
      const rawKey = hexField(group, 'publicKey');
      const spki = hexField(group, 'publicKeyDer');
      let publicKey: ReturnType<typeof loadPublicKey> | undefined;
      try {
        publicKey = loadPublicKey(spki, spec);
        // Golden check of our encoder: the SPKI Wycheproof gives is exactly what we would write.
        assert.deepEqual(encodeMlDsaSpki(level, rawKey), spki);
      } catch (error) {
        assert.ok(error instanceof InvalidPublicKeyError, String(error));
      }
      for (const testCase of group.tests) {
        const withContext = typeof testCase['ctx'] === 'string' && testCase['ctx'] !== '';
        if (publicKey === undefined) {
          tally.add(`${testCase.result}:key-refused`);
          continue;
        }
        const accepted = verify(publicKey, 'ML_DSA_SHAKE_256', hexField(testCase, 'msg'), 'RAW', hexField(testCase, 'sig'));
        tally.add(`${testCase.result}${withContext ? '-with-context' : ''}:${accepted ? 'accepted' : 'rejected'}`);
      }
    }
    assert.equal(tally.total, total);
    assert.deepEqual(tally.toObject(), expected);
  });
}

describe('Wycheproof ML-DSA verify (empty context, as AWS)', () => {
  // Each file: 5 invalid and 2 valid cases carry a context; 4 invalid cases have a malformed public key.
  runFile('mldsa_44_verify_test.json', 44, { 'invalid-with-context:rejected': 5, 'invalid:key-refused': 4, 'invalid:rejected': 94, 'valid-with-context:rejected': 2, 'valid:accepted': 75 }, 180);
  runFile('mldsa_65_verify_test.json', 65, { 'invalid-with-context:rejected': 5, 'invalid:key-refused': 4, 'invalid:rejected': 122, 'valid-with-context:rejected': 2, 'valid:accepted': 77 }, 210);
  runFile('mldsa_87_verify_test.json', 87, { 'invalid-with-context:rejected': 5, 'invalid:key-refused': 4, 'invalid:rejected': 161, 'valid-with-context:rejected': 2, 'valid:accepted': 69 }, 241);
});
