import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { describe, test } from 'node:test';
import { UnsupportedAlgorithmError } from '../../../src/crypto/asymmetric/index.js';
import type { AsymmetricKeyPair } from '../../../src/crypto/key-generation/generate-fresh-key-pair.js';
import { createKeyPairGenerator, type DataKeyPairSpec } from '../../../src/crypto/key-generation/key-pair-generator.js';
import { RsaKeyPool, type RsaKeySpec } from '../../../src/crypto/key-generation/rsa-key-pool.js';
import { SecretBytes } from '../../../src/crypto/secret-bytes.js';

/** Key pair generation and the RSA pool. Pool logic runs on a stub generator: no RSA CPU in these tests. */

function stubGenerator(): { generate: (spec: RsaKeySpec) => Promise<AsymmetricKeyPair>; calls: RsaKeySpec[]; issued: SecretBytes[] } {
  const calls: RsaKeySpec[] = [];
  const issued: SecretBytes[] = [];
  return {
    calls,
    issued,
    generate: async (spec) => {
      calls.push(spec);
      const privateKey = SecretBytes.adopt(Buffer.from(`private-${calls.length}`));
      issued.push(privateKey);
      return { privateKey, publicKey: Buffer.from(`public-${calls.length}`) };
    },
  };
}

describe('RsaKeyPool', () => {
  test('starts lazily: nothing is generated before the first take of a size', async () => {
    const stub = stubGenerator();
    const pool = new RsaKeyPool({ targetPerSpec: 2, generate: stub.generate });
    await pool.idle();
    assert.deepEqual(stub.calls, []);
    await pool.take('RSA_4096');
    await pool.idle();
    assert.deepEqual(stub.calls, ['RSA_4096', 'RSA_4096', 'RSA_4096'], 'one for the caller, then a refill to the bound');
    assert.equal(pool.available('RSA_4096'), 2);
    assert.equal(pool.available('RSA_2048'), 0);
    await pool.close();
  });

  test('hands out pooled pairs once each and refills to the bound, never beyond', async () => {
    const stub = stubGenerator();
    const pool = new RsaKeyPool({ targetPerSpec: 2, generate: stub.generate });
    pool.warm('RSA_2048');
    await pool.idle();
    const first = await pool.take('RSA_2048');
    const second = await pool.take('RSA_2048');
    assert.notDeepEqual(first.publicKey, second.publicKey);
    await pool.idle();
    assert.equal(pool.available('RSA_2048'), 2);
    assert.equal(stub.calls.length, 4);
    await pool.close();
  });

  test('close() wipes pooled private keys and refuses further takes', async () => {
    const stub = stubGenerator();
    const pool = new RsaKeyPool({ targetPerSpec: 2, generate: stub.generate });
    pool.warm('RSA_3072');
    await pool.idle();
    assert.equal(stub.issued.length, 2);
    await pool.close();
    assert.equal(pool.available('RSA_3072'), 0);
    for (const key of stub.issued) assert.ok(key.expose().every((byte) => byte === 0));
    await assert.rejects(pool.take('RSA_3072'));
  });

  test('a failing background generation is reported, not thrown, and retried on the next take', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const stub = stubGenerator();
    const pool = new RsaKeyPool({
      targetPerSpec: 1,
      generate: async (spec) => (fail ? Promise.reject(new Error('no entropy')) : stub.generate(spec)),
      onBackgroundError: (error) => errors.push(error),
    });
    pool.warm('RSA_2048');
    await pool.idle();
    assert.equal(errors.length, 1);
    fail = false;
    await pool.take('RSA_2048');
    await pool.idle();
    assert.equal(pool.available('RSA_2048'), 1);
    await pool.close();
  });
});

describe('createKeyPairGenerator', () => {
  test('data key pairs of every non-RSA DataKeyPairSpec are PKCS#8 / SPKI DER of the right kind', async () => {
    const generator = createKeyPairGenerator({ rsaPoolSizePerSpec: 0 });
    const expected: Record<string, string> = {
      ECC_NIST_P256: 'prime256v1', ECC_NIST_P384: 'secp384r1', ECC_NIST_P521: 'secp521r1', ECC_SECG_P256K1: 'secp256k1', ECC_NIST_EDWARDS25519: 'ed25519',
    };
    for (const [spec, curve] of Object.entries(expected)) {
      const pair = await generator.generateDataKeyPair(spec as DataKeyPairSpec);
      const publicKey = createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' });
      assert.equal(publicKey.asymmetricKeyDetails?.namedCurve ?? publicKey.asymmetricKeyType, curve);
      assert.equal(pair.privateKey.expose()[0], 0x30, 'DER SEQUENCE');
    }
    await generator.close();
  });

  test('RSA key pairs come from the threadpool with the right modulus (one RSA-2048 generation)', async () => {
    const generator = createKeyPairGenerator({ rsaPoolSizePerSpec: 0 });
    const pair = await generator.generateKeyPair('RSA_2048');
    assert.equal(createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength, 2048);
    await generator.close();
  });

  test('ML-DSA key pairs use the injected random source: same seed, same keys', async () => {
    const seeded = createKeyPairGenerator({ rsaPoolSizePerSpec: 0, randomBytes: (n) => Buffer.alloc(n, 7) });
    const first = await seeded.generateKeyPair('ML_DSA_65');
    const second = await seeded.generateKeyPair('ML_DSA_65');
    assert.deepEqual(first.publicKey, second.publicKey);
    assert.equal(first.privateKey.length, 54, 'PKCS#8 seed form: 22 header bytes + 32-byte seed');
    assert.equal(first.publicKey.length, 22 + 1952);
    await seeded.close();
  });

  test('SM2, ML-DSA data key pairs, symmetric and HMAC specs are refused', async () => {
    const generator = createKeyPairGenerator({ rsaPoolSizePerSpec: 0 });
    await assert.rejects(generator.generateDataKeyPair('SM2'), UnsupportedAlgorithmError);
    await assert.rejects(generator.generateDataKeyPair('ML_DSA_44' as DataKeyPairSpec), UnsupportedAlgorithmError);
    await assert.rejects(generator.generateKeyPair('SYMMETRIC_DEFAULT'), UnsupportedAlgorithmError);
    await assert.rejects(generator.generateKeyPair('HMAC_512'), UnsupportedAlgorithmError);
    await generator.close();
  });
});
