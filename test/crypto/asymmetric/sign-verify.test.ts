import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { KEY_SPECS, type KeySpec, type SigningAlgorithm } from '../../../src/keys/key-spec.js';
import {
  InvalidKeyMaterialError, InvalidPublicKeyError, InvalidSignatureInputError, isSupported, loadPrivateKey, loadPublicKey,
  sign, signAsync, UnsupportedAlgorithmError, verify, type PrivateKeyHandle,
} from '../../../src/crypto/asymmetric/index.js';
import { createKeyPairGenerator } from '../../../src/crypto/key-generation/key-pair-generator.js';
import { SecretBytes } from '../../../src/crypto/secret-bytes.js';

/** Sign/verify behaviour through the public API: message types, digest rules, key/spec checks. */

const SPECS: readonly KeySpec[] = ['RSA_2048', 'ECC_NIST_P256', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'ML_DSA_44', 'ML_DSA_87'];
const handles = new Map<KeySpec, PrivateKeyHandle>();
const pkcs8s = new Map<KeySpec, SecretBytes>();

function handle(spec: KeySpec): PrivateKeyHandle {
  const found = handles.get(spec);
  assert.ok(found, `no key for ${spec}`);
  return found;
}

/** FIPS 204 §6.2 external μ for the empty context: SHAKE256(SHAKE256(pk, 64) ‖ 0x00 ‖ 0x00 ‖ M, 64). */
function externalMu(rawPublicKey: Uint8Array, message: Buffer): Buffer {
  const tr = createHash('shake256', { outputLength: 64 }).update(rawPublicKey).digest();
  return createHash('shake256', { outputLength: 64 }).update(tr).update(Buffer.from([0, 0])).update(message).digest();
}

describe('sign and verify', () => {
  before(async () => {
    const generator = createKeyPairGenerator({ rsaPoolSizePerSpec: 0, randomBytes });
    for (const spec of SPECS) {
      const pair = await generator.generateKeyPair(spec);
      pkcs8s.set(spec, SecretBytes.copyOf(pair.privateKey.expose()));
      const loaded = loadPrivateKey(pair.privateKey, spec);
      assert.deepEqual(loaded.publicKey.spki, pair.publicKey, 'the handle derives the generated public key');
      handles.set(spec, loaded);
    }
    await generator.close();
  });
  after(() => handles.clear());

  test('RAW signatures of every algorithm of each spec verify, and fail for another message', async () => {
    const message = Buffer.from('the message');
    const supported = [...handles.values()].flatMap((h) => algorithmsOf(h.spec).map((a) => [h, a] as const));
    for (const [h, algorithm] of supported) {
      const signature = await signAsync(h, algorithm, message, 'RAW');
      assert.equal(verify(h.publicKey, algorithm, message, 'RAW', signature), true, `${h.spec} ${algorithm}`);
      assert.equal(verify(h.publicKey, algorithm, Buffer.from('the massage'), 'RAW', signature), false, `${h.spec} ${algorithm}`);
    }
  });

  test('PKCS#1 v1.5 DIGEST signs the digest without re-hashing: it verifies as a RAW signature of the message', () => {
    const message = Buffer.from('hash me once');
    const digest = createHash('sha512').update(message).digest();
    const signature = sign(handle('RSA_2048'), 'RSASSA_PKCS1_V1_5_SHA_512', digest, 'DIGEST');
    assert.equal(verify(handle('RSA_2048').publicKey, 'RSASSA_PKCS1_V1_5_SHA_512', message, 'RAW', signature), true);
    assert.deepEqual(signature, sign(handle('RSA_2048'), 'RSASSA_PKCS1_V1_5_SHA_512', message, 'RAW'), 'PKCS#1 v1.5 is deterministic');
  });

  test('a DIGEST of the wrong length is refused, as AWS does', () => {
    const short = Buffer.alloc(31);
    assert.throws(() => sign(handle('RSA_2048'), 'RSASSA_PKCS1_V1_5_SHA_256', short, 'DIGEST'), InvalidSignatureInputError);
    assert.throws(() => verify(handle('ECC_NIST_P256').publicKey, 'ECDSA_SHA_256', short, 'DIGEST', Buffer.alloc(64)), InvalidSignatureInputError);
  });

  test('message types an algorithm does not take are refused', () => {
    const digest = Buffer.alloc(64);
    assert.throws(() => sign(handle('ECC_NIST_EDWARDS25519'), 'ED25519_SHA_512', digest, 'DIGEST'), InvalidSignatureInputError);
    assert.throws(() => sign(handle('ML_DSA_44'), 'ML_DSA_SHAKE_256', digest, 'DIGEST'), InvalidSignatureInputError);
    assert.throws(() => sign(handle('ECC_NIST_P256'), 'ECDSA_SHA_256', digest, 'EXTERNAL_MU'), InvalidSignatureInputError);
  });

  test('RSASSA-PSS DIGEST signatures verify as RAW signatures of the message; Ed25519ph takes only a DIGEST, as AWS', () => {
    const message = Buffer.from('hash me once');
    const signature = sign(handle('RSA_2048'), 'RSASSA_PSS_SHA_256', createHash('sha256').update(message).digest(), 'DIGEST');
    assert.equal(verify(handle('RSA_2048').publicKey, 'RSASSA_PSS_SHA_256', message, 'RAW', signature), true);
    assert.throws(() => sign(handle('ECC_NIST_EDWARDS25519'), 'ED25519_PH_SHA_512', Buffer.from('m'), 'RAW'), {
      name: 'InvalidSignatureInputError',
      message: 'Message type RAW is incompatible with algorithm ED25519_PH_SHA_512.',
    });
  });

  test('an algorithm the key spec does not offer is refused', () => {
    assert.throws(() => sign(handle('ECC_NIST_P256'), 'ECDSA_SHA_384', Buffer.from('m'), 'RAW'), UnsupportedAlgorithmError);
    assert.throws(() => sign(handle('RSA_2048'), 'ECDSA_SHA_256', Buffer.from('m'), 'RAW'), UnsupportedAlgorithmError);
    assert.throws(() => sign(handle('ML_DSA_44'), 'SM2DSA', Buffer.from('m'), 'RAW'), UnsupportedAlgorithmError);
  });

  test('ML-DSA EXTERNAL_MU signatures verify as RAW signatures of the message, and vice versa', () => {
    const h = handle('ML_DSA_87');
    assert.equal(h.publicKey.backend, 'ml-dsa');
    const rawKey = h.publicKey.backend === 'ml-dsa' ? h.publicKey.rawKey : new Uint8Array();
    const message = Buffer.from('a message far larger than 4 KB would be hashed like this');
    const mu = externalMu(rawKey, message);
    assert.equal(verify(h.publicKey, 'ML_DSA_SHAKE_256', message, 'RAW', sign(h, 'ML_DSA_SHAKE_256', mu, 'EXTERNAL_MU')), true);
    assert.equal(verify(h.publicKey, 'ML_DSA_SHAKE_256', mu, 'EXTERNAL_MU', sign(h, 'ML_DSA_SHAKE_256', message, 'RAW')), true);
    assert.throws(() => sign(h, 'ML_DSA_SHAKE_256', mu.subarray(1), 'EXTERNAL_MU'), InvalidSignatureInputError);
  });

  test('malformed signatures verify as false, never throw', () => {
    for (const h of handles.values()) {
      const algorithm = algorithmsOf(h.spec)[0];
      assert.ok(algorithm);
      for (const signature of [Buffer.alloc(0), Buffer.alloc(1), randomBytes(5000)]) {
        assert.equal(verify(h.publicKey, algorithm, Buffer.from('m'), 'RAW', signature), false, h.spec);
      }
    }
  });

  test('key material of another spec, or not PKCS#8, is refused when loaded', () => {
    assert.throws(() => loadPrivateKey(pkcs8OrFail('ECC_NIST_P256'), 'ECC_SECG_P256K1'), InvalidKeyMaterialError);
    assert.throws(() => loadPrivateKey(pkcs8OrFail('RSA_2048'), 'RSA_3072'), InvalidKeyMaterialError);
    assert.throws(() => loadPrivateKey(pkcs8OrFail('ML_DSA_44'), 'ML_DSA_65'), InvalidKeyMaterialError);
    assert.throws(() => loadPrivateKey(SecretBytes.random(40), 'ECC_NIST_P256'), InvalidKeyMaterialError);
    assert.throws(() => loadPublicKey(handle('ECC_NIST_P256').publicKey.spki, 'ECC_NIST_P384'), InvalidPublicKeyError);
    assert.throws(() => loadPublicKey(Buffer.from('not a key'), 'RSA_2048'), InvalidPublicKeyError);
  });

  test('symmetric, HMAC and SM2 specs are not supported asymmetric specs', () => {
    assert.deepEqual(['SYMMETRIC_DEFAULT', 'HMAC_256', 'SM2', 'RSA_4096', 'ML_DSA_65'].map((s) => isSupported(s as KeySpec)), [false, false, false, true, true]);
    assert.throws(() => loadPrivateKey(SecretBytes.random(32), 'HMAC_256'), UnsupportedAlgorithmError);
  });

  test('handles never print or serialise key material', () => {
    for (const h of handles.values()) {
      const printed = `${JSON.stringify(h)} ${String(h.backend === 'ml-dsa' ? h.secretKey : h.keyObject)}`;
      const secret = pkcs8OrFail(h.spec).expose();
      assert.equal(printed.includes(secret.toString('hex')) || printed.includes(secret.toString('base64')), false, h.spec);
    }
  });
});

function pkcs8OrFail(spec: KeySpec): SecretBytes {
  const found = pkcs8s.get(spec);
  assert.ok(found);
  return found;
}

/** The algorithms of a spec that this runtime signs RAW (all but Ed25519ph). */
function algorithmsOf(spec: KeySpec): readonly SigningAlgorithm[] {
  return KEY_SPECS[spec].signingAlgorithms.filter((algorithm) => algorithm !== 'ED25519_PH_SHA_512');
}
