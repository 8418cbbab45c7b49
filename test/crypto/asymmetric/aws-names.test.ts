import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as domain from '../../../src/keys/key-spec.js';
import type * as crypto from '../../../src/crypto/asymmetric/aws-names.js';
import { asymmetricKeyKind, isSupported, loadPrivateKey, UnsupportedAlgorithmError } from '../../../src/crypto/asymmetric/index.js';
import { signingScheme } from '../../../src/crypto/asymmetric/signing-schemes.js';

/**
 * The crypto layer declares AWS's names itself (it may not import keys/). These checks keep its unions and
 * its spec ↔ algorithm pairing identical to the domain's capability table.
 */

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const unionsAreIdentical: [
  Same<domain.KeySpec, crypto.KeySpec>,
  Same<domain.SigningAlgorithm, crypto.SigningAlgorithm>,
  Same<domain.EncryptionAlgorithm, crypto.EncryptionAlgorithm>,
  Same<domain.MacAlgorithm, crypto.MacAlgorithm>,
] = [true, true, true, true]; // a compile error here means the unions drifted

const ALL_SIGNING: readonly domain.SigningAlgorithm[] = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'ED25519_SHA_512', 'ED25519_PH_SHA_512', 'SM2DSA', 'ML_DSA_SHAKE_256',
];

describe('crypto names and pairings match keys/key-spec.ts', () => {
  test('the unions are identical', () => {
    assert.deepEqual(unionsAreIdentical, [true, true, true, true]);
  });

  test('each supported spec offers exactly the signing algorithms of KEY_SPECS (SM2DSA: runtime lacks it)', () => {
    const specs = (Object.keys(domain.KEY_SPECS) as domain.KeySpec[]).filter(isSupported);
    assert.equal(specs.length, 11);
    for (const spec of specs) {
      const offered = ALL_SIGNING.filter((algorithm) => {
        try {
          signingScheme(spec as Parameters<typeof signingScheme>[0], algorithm);
          return true;
        } catch (error) {
          assert.ok(error instanceof UnsupportedAlgorithmError);
          return false;
        }
      });
      assert.deepEqual(offered, [...domain.KEY_SPECS[spec].signingAlgorithms], spec);
    }
  });

  test('ECDH is offered exactly where KEY_SPECS lists it (SM2 excepted: unsupported)', () => {
    for (const spec of (Object.keys(domain.KEY_SPECS) as domain.KeySpec[]).filter(isSupported)) {
      const kind = asymmetricKeyKind(spec);
      const ecdh = kind.type === 'ec' && kind.keyAgreement;
      assert.equal(ecdh, domain.KEY_SPECS[spec].keyAgreementAlgorithms.includes('ECDH'), spec);
    }
    assert.equal(isSupported('SM2'), false);
    assert.throws(() => loadPrivateKey({} as never, 'SM2'), UnsupportedAlgorithmError);
  });
});
