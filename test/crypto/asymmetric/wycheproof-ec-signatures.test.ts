import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KeySpec, SigningAlgorithm } from '../../../src/keys/key-spec.js';
import { loadPublicKey, verify } from '../../../src/crypto/asymmetric/index.js';
import { hexField, OutcomeTally, wycheproof } from './wycheproof-vectors.js';

/**
 * Wycheproof ECDSA (DER signatures, as AWS returns them) and Ed25519 vectors, through `loadPublicKey` +
 * `verify`. These files have no "acceptable" cases: every valid case must verify, every invalid one (BER
 * encodings, out-of-range r/s, malleated signatures, …) must not.
 */

function runFile(file: string, spec: KeySpec, algorithm: SigningAlgorithm, valid: number, invalid: number): void {
  const vectors = wycheproof(file);
  test(`${file} as ${spec} / ${algorithm}`, { skip: vectors.skip }, () => {
    const data = vectors.load();
    assert.equal(data.numberOfTests, valid + invalid);
    const tally = new OutcomeTally();
    for (const group of data.testGroups) {
      const publicKey = loadPublicKey(hexField(group, 'publicKeyDer'), spec);
      for (const testCase of group.tests) {
        const accepted = verify(publicKey, algorithm, hexField(testCase, 'msg'), 'RAW', hexField(testCase, 'sig'));
        tally.add(`${testCase.result}:${accepted ? 'accepted' : 'rejected'}`);
      }
    }
    assert.deepEqual(tally.toObject(), { 'invalid:rejected': invalid, 'valid:accepted': valid });
  });
}

describe('Wycheproof ECDSA (DER)', () => {
  runFile('ecdsa_secp256r1_sha256_test.json', 'ECC_NIST_P256', 'ECDSA_SHA_256', 174, 310);
  runFile('ecdsa_secp384r1_sha384_test.json', 'ECC_NIST_P384', 'ECDSA_SHA_384', 194, 310);
  runFile('ecdsa_secp521r1_sha512_test.json', 'ECC_NIST_P521', 'ECDSA_SHA_512', 232, 310);
  runFile('ecdsa_secp256k1_sha256_test.json', 'ECC_SECG_P256K1', 'ECDSA_SHA_256', 168, 308);
});

describe('Wycheproof Ed25519', () => {
  runFile('ed25519_test.json', 'ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 88, 63);
});
