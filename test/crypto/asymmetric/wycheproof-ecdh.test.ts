import assert from 'node:assert/strict';
import { createECDH, createPrivateKey } from 'node:crypto';
import { describe, test } from 'node:test';
import type { KeySpec } from '../../../src/keys/key-spec.js';
import { deriveSharedSecret, InvalidPublicKeyError, loadPrivateKey, type PrivateKeyHandle } from '../../../src/crypto/asymmetric/index.js';
import { SecretBytes } from '../../../src/crypto/secret-bytes.js';
import { hexField, OutcomeTally, wycheproof } from './wycheproof-vectors.js';

/**
 * Wycheproof ECDH vectors (peer keys as DER SubjectPublicKeyInfo) through `loadPrivateKey` +
 * `deriveSharedSecret`. Valid cases must give the expected shared secret; invalid ones (points off the
 * curve, wrong curve, invalid-curve attacks, …) must be refused with InvalidPublicKeyError.
 *
 * "Acceptable" cases are refused (BER length forms, explicit curve parameters, unused parameters) except
 * the compressed point, which is canonical DER on the named curve and gives the right secret (see ecdh.ts).
 */

const CURVES: Readonly<Record<string, { spec: KeySpec; opensslCurve: string; jwkCurve: string; fieldBytes: number }>> = {
  secp256r1: { spec: 'ECC_NIST_P256', opensslCurve: 'prime256v1', jwkCurve: 'P-256', fieldBytes: 32 },
  secp384r1: { spec: 'ECC_NIST_P384', opensslCurve: 'secp384r1', jwkCurve: 'P-384', fieldBytes: 48 },
  secp521r1: { spec: 'ECC_NIST_P521', opensslCurve: 'secp521r1', jwkCurve: 'P-521', fieldBytes: 66 },
};

/** Test plumbing: the vectors give raw private scalars; our API takes PKCS#8, so wrap the scalar in one. */
function handleFromScalar(curveName: string, scalarHex: string): PrivateKeyHandle {
  const curve = CURVES[curveName];
  if (curve === undefined) throw new Error(`unexpected curve ${curveName}`);
  const scalar = Buffer.from(BigInt(`0x${scalarHex}`).toString(16).padStart(curve.fieldBytes * 2, '0'), 'hex');
  const ecdh = createECDH(curve.opensslCurve);
  ecdh.setPrivateKey(scalar);
  const point = ecdh.getPublicKey();
  const jwk = {
    kty: 'EC',
    crv: curve.jwkCurve,
    d: scalar.toString('base64url'),
    x: point.subarray(1, 1 + curve.fieldBytes).toString('base64url'),
    y: point.subarray(1 + curve.fieldBytes).toString('base64url'),
  };
  const pkcs8 = createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'pkcs8' });
  return loadPrivateKey(SecretBytes.adopt(pkcs8), curve.spec);
}

function runFile(file: string, expected: Record<string, number>, total: number): void {
  const vectors = wycheproof(file);
  test(file, { skip: vectors.skip }, () => {
    const data = vectors.load();
    assert.equal(data.numberOfTests, total);
    const tally = new OutcomeTally();
    const handles = new Map<string, PrivateKeyHandle>(); // ~30 distinct private keys per file
    for (const group of data.testGroups) {
      assert.equal(group['encoding'], 'asn');
      for (const testCase of group.tests) {
        const scalarHex = BigInt(`0x${String(testCase['private'])}`).toString(16);
        const handle = handles.get(scalarHex) ?? handleFromScalar(String(group['curve']), scalarHex);
        handles.set(scalarHex, handle);
        let shared: SecretBytes | undefined;
        try {
          shared = deriveSharedSecret(handle, hexField(testCase, 'public'));
        } catch (error) {
          assert.ok(error instanceof InvalidPublicKeyError, `tcId ${testCase.tcId}: ${String(error)}`);
        }
        if (shared !== undefined) assert.deepEqual(shared.expose(), hexField(testCase, 'shared'), `tcId ${testCase.tcId}`);
        tally.add(`${testCase.result}:${shared === undefined ? 'rejected' : 'agreed'}`);
      }
    }
    assert.equal(tally.total, total);
    assert.deepEqual(tally.toObject(), expected);
  });
}

describe('Wycheproof ECDH (DER SPKI peer keys, canonical DER only)', () => {
    // The one "acceptable" case that agrees in each file is the compressed peer point (tcId 2).
  runFile('ecdh_secp256r1_test.json', { 'acceptable:agreed': 1, 'acceptable:rejected': 229, 'invalid:rejected': 52, 'valid:agreed': 330 }, 612);
  runFile('ecdh_secp384r1_test.json', { 'acceptable:agreed': 1, 'acceptable:rejected': 229, 'invalid:rejected': 46, 'valid:agreed': 771 }, 1047);
  runFile('ecdh_secp521r1_test.json', { 'acceptable:agreed': 1, 'acceptable:rejected': 227, 'invalid:rejected': 56, 'valid:agreed': 632 }, 916);
});
