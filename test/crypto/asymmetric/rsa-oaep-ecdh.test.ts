import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, describe, test } from 'node:test';
import {
  DecryptionFailedError, deriveSharedSecret, InvalidPublicKeyError, loadPrivateKey, maxRsaOaepPlaintext, PlaintextTooLargeError,
  rsaOaepDecrypt, rsaOaepEncrypt, UnsupportedAlgorithmError, type PrivateKeyHandle,
} from '../../../src/crypto/asymmetric/index.js';
import { SecretBytes } from '../../../src/crypto/secret-bytes.js';

/** RSA-OAEP limits and failure behaviour, and ECDH peer-key checks, through the public API. */

function handleFor(type: 'rsa' | 'ec', spec: 'RSA_2048' | 'ECC_NIST_P256' | 'ECC_NIST_P384'): PrivateKeyHandle {
  const { privateKey } = type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'der' }, publicKeyEncoding: { type: 'spki', format: 'der' } })
    : generateKeyPairSync('ec', { namedCurve: spec === 'ECC_NIST_P256' ? 'prime256v1' : 'secp384r1', privateKeyEncoding: { type: 'pkcs8', format: 'der' }, publicKeyEncoding: { type: 'spki', format: 'der' } });
  return loadPrivateKey(SecretBytes.adopt(privateKey), spec);
}

describe('RSA-OAEP', () => {
  let rsa: PrivateKeyHandle;
  before(() => { rsa = handleFor('rsa', 'RSA_2048'); });

  test('plaintext limits are the ones AWS documents', () => {
    const limits = (['RSA_2048', 'RSA_3072', 'RSA_4096'] as const).map((spec) =>
      [maxRsaOaepPlaintext(spec, 'RSAES_OAEP_SHA_1'), maxRsaOaepPlaintext(spec, 'RSAES_OAEP_SHA_256')]);
    assert.deepEqual(limits, [[214, 190], [342, 318], [470, 446]]);
  });

  test('the longest allowed plaintext round-trips; one byte more is refused before encrypting', () => {
    for (const algorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
      const limit = maxRsaOaepPlaintext('RSA_2048', algorithm);
      const plaintext = SecretBytes.random(limit);
      const ciphertext = rsaOaepEncrypt(rsa.publicKey, algorithm, plaintext);
      assert.equal(ciphertext.length, 256);
      assert.equal(rsaOaepDecrypt(rsa, algorithm, ciphertext).equals(plaintext), true);
      assert.throws(() => rsaOaepEncrypt(rsa.publicKey, algorithm, SecretBytes.random(limit + 1)), PlaintextTooLargeError);
    }
  });

  test('a ciphertext fails under the other hash, when tampered with, or with the wrong length — all alike', () => {
    const ciphertext = rsaOaepEncrypt(rsa.publicKey, 'RSAES_OAEP_SHA_256', SecretBytes.random(32));
    const tampered = Buffer.from(ciphertext);
    tampered[100] = (tampered[100] ?? 0) ^ 1;
    for (const [algorithm, bytes] of [['RSAES_OAEP_SHA_1', ciphertext], ['RSAES_OAEP_SHA_256', tampered], ['RSAES_OAEP_SHA_256', ciphertext.subarray(1)]] as const) {
      assert.throws(() => rsaOaepDecrypt(rsa, algorithm, bytes), (error: unknown) => error instanceof DecryptionFailedError && error.message === 'decryption failed');
    }
  });

  test('non-OAEP algorithms and non-RSA keys are refused', () => {
    assert.throws(() => maxRsaOaepPlaintext('RSA_2048', 'SYMMETRIC_DEFAULT'), UnsupportedAlgorithmError);
    assert.throws(() => maxRsaOaepPlaintext('ECC_NIST_P256', 'RSAES_OAEP_SHA_256'), UnsupportedAlgorithmError);
  });
});

describe('ECDH', () => {
  test('both sides derive the same field-length secret', () => {
    const alice = handleFor('ec', 'ECC_NIST_P256');
    const bob = handleFor('ec', 'ECC_NIST_P256');
    const ours = deriveSharedSecret(alice, bob.publicKey.spki);
    assert.equal(ours.length, 32);
    assert.equal(ours.equals(deriveSharedSecret(bob, alice.publicKey.spki)), true);
  });

  test('a peer key on another curve, malformed, or with trailing bytes is refused', () => {
    const alice = handleFor('ec', 'ECC_NIST_P256');
    const other = handleFor('ec', 'ECC_NIST_P384');
    assert.throws(() => deriveSharedSecret(alice, other.publicKey.spki), InvalidPublicKeyError);
    assert.throws(() => deriveSharedSecret(alice, Buffer.from('30', 'hex')), InvalidPublicKeyError);
    const peer = handleFor('ec', 'ECC_NIST_P256').publicKey.spki;
    assert.throws(() => deriveSharedSecret(alice, Buffer.concat([peer, Buffer.alloc(1)])), InvalidPublicKeyError);
  });

  test('keys without ECDH (RSA) are refused', () => {
    const rsa = handleFor('rsa', 'RSA_2048');
    assert.throws(() => deriveSharedSecret(rsa, handleFor('ec', 'ECC_NIST_P256').publicKey.spki), UnsupportedAlgorithmError);
  });
});
