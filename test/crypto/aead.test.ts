import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { openAesGcm, sealAesGcm, sealAesGcmWithIv } from '../../src/crypto/aead.js';
import { CryptoInputError, DecryptionFailedError } from '../../src/crypto/crypto-errors.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { fromShared } from '../support/shared.js';

interface WycheproofGcmTest {
  tcId: number;
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
}
interface WycheproofGcmFile {
  numberOfTests: number;
  testGroups: { keySize: number; ivSize: number; tagSize: number; tests: WycheproofGcmTest[] }[];
}

const hex = (text: string): Buffer => Buffer.from(text, 'hex');
const aad = Buffer.from('associated data');

function isDecryptionFailure(error: unknown): boolean {
  return error instanceof DecryptionFailedError && error.message === 'decryption failed';
}

describe('AES-256-GCM', () => {
  test('round trip: open returns the sealed plaintext as SecretBytes', () => {
    const key = SecretBytes.random(32);
    const plaintext = Buffer.from('attack at dawn');
    const { iv, ciphertext, tag } = sealAesGcm(key, plaintext, aad);
    assert.equal(iv.length, 12);
    assert.equal(tag.length, 16);
    assert.equal(ciphertext.length, plaintext.length);
    const opened = openAesGcm(key, iv, ciphertext, tag, aad);
    assert.ok(opened instanceof SecretBytes);
    assert.deepEqual(opened.expose(), plaintext);
  });

  test('every seal uses a fresh IV', () => {
    const key = SecretBytes.random(32);
    const first = sealAesGcm(key, Buffer.from('same'), aad);
    const second = sealAesGcm(key, Buffer.from('same'), aad);
    assert.notDeepEqual(first.iv, second.iv);
    assert.notDeepEqual(first.ciphertext, second.ciphertext);
  });

  test('empty plaintext seals and opens', () => {
    const key = SecretBytes.random(32);
    const { iv, ciphertext, tag } = sealAesGcm(key, Buffer.alloc(0), aad);
    assert.equal(openAesGcm(key, iv, ciphertext, tag, aad).length, 0);
  });

  test('wrong key, wrong AAD, altered IV, ciphertext or tag: "decryption failed"', () => {
    const key = SecretBytes.random(32);
    const { iv, ciphertext, tag } = sealAesGcm(key, Buffer.from('secret'), aad);
    const flipped = (bytes: Buffer): Buffer => {
      const copy = Buffer.from(bytes);
      copy[0] = (copy[0] ?? 0) ^ 0x01;
      return copy;
    };
    assert.throws(() => openAesGcm(SecretBytes.random(32), iv, ciphertext, tag, aad), isDecryptionFailure);
    assert.throws(() => openAesGcm(key, iv, ciphertext, tag, Buffer.from('other')), isDecryptionFailure);
    assert.throws(() => openAesGcm(key, flipped(iv), ciphertext, tag, aad), isDecryptionFailure);
    assert.throws(() => openAesGcm(key, iv, flipped(ciphertext), tag, aad), isDecryptionFailure);
    assert.throws(() => openAesGcm(key, iv, ciphertext, flipped(tag), aad), isDecryptionFailure);
  });

  test('a truncated tag is refused (node would otherwise accept tags down to 4 bytes)', () => {
    const key = SecretBytes.random(32);
    const { iv, ciphertext, tag } = sealAesGcm(key, Buffer.from('secret'), aad);
    for (const length of [4, 8, 12, 15]) {
      assert.throws(() => openAesGcm(key, iv, ciphertext, tag.subarray(0, length), aad), isDecryptionFailure);
    }
    assert.throws(() => openAesGcm(key, iv, ciphertext, Buffer.concat([tag, Buffer.of(0)]), aad), isDecryptionFailure);
  });

  test('keys other than 32 bytes and IVs other than 12 bytes are refused', () => {
    for (const size of [0, 16, 24, 31, 33, 64]) {
      const key = SecretBytes.random(size);
      assert.throws(() => sealAesGcm(key, Buffer.from('x'), aad), CryptoInputError);
      assert.throws(() => openAesGcm(key, Buffer.alloc(12), Buffer.alloc(1), Buffer.alloc(16), aad), CryptoInputError);
    }
    const key = SecretBytes.random(32);
    for (const size of [0, 8, 11, 13, 16]) {
      assert.throws(() => sealAesGcmWithIv(key, Buffer.alloc(size, 1), Buffer.from('x'), aad), CryptoInputError);
    }
    const { ciphertext, tag } = sealAesGcm(key, Buffer.from('x'), aad);
    assert.throws(() => openAesGcm(key, Buffer.alloc(16), ciphertext, tag, aad), isDecryptionFailure);
  });

  test('the all-zero key (a wiped secret) is refused for sealing and opening', () => {
    const key = SecretBytes.random(32);
    const sealed = sealAesGcm(key, Buffer.from('x'), aad);
    key.wipe();
    assert.throws(() => sealAesGcm(key, Buffer.from('x'), aad), /all zeros/);
    assert.throws(() => openAesGcm(key, sealed.iv, sealed.ciphertext, sealed.tag, aad), CryptoInputError);
  });

  const vectors = fromShared('vectors/wycheproof/aes_gcm_test.json');
  test('Wycheproof aes_gcm_test.json through the public primitive', { skip: vectors.skip }, () => {
    const file = JSON.parse(readFileSync(vectors.path, 'utf8')) as WycheproofGcmFile;
    const counts = { valid: 0, invalid: 0, refusedUnsupportedSize: 0 };
    for (const group of file.testGroups) {
      const supported = group.keySize === 256 && group.ivSize === 96 && group.tagSize === 128;
      for (const vector of group.tests) {
        const key = SecretBytes.copyOf(hex(vector.key));
        const [iv, msg, ad] = [hex(vector.iv), hex(vector.msg), hex(vector.aad)];
        const [ct, tag] = [hex(vector.ct), hex(vector.tag)];
        const label = `tcId ${vector.tcId} (${vector.flags.join(', ')})`;
        if (!supported) {
          // KMS uses 256-bit keys, 96-bit IVs and 128-bit tags only: every other size must be refused, not skipped.
          assert.throws(() => sealAesGcmWithIv(key, iv, msg, ad), CryptoInputError, label);
          const refused = (error: unknown): boolean => error instanceof CryptoInputError || isDecryptionFailure(error);
          assert.throws(() => openAesGcm(key, iv, ct, tag, ad), refused, label);
          counts.refusedUnsupportedSize += 1;
        } else if (vector.result === 'valid') {
          const sealed = sealAesGcmWithIv(key, iv, msg, ad);
          assert.equal(sealed.ciphertext.toString('hex'), vector.ct, label);
          assert.equal(sealed.tag.toString('hex'), vector.tag, label);
          assert.equal(openAesGcm(key, iv, ct, tag, ad).expose().toString('hex'), vector.msg, label);
          counts.valid += 1;
        } else {
          assert.equal(vector.result, 'invalid', `${label}: no 'acceptable' cases are expected for GCM`);
          assert.throws(() => openAesGcm(key, iv, ct, tag, ad), isDecryptionFailure, label);
          counts.invalid += 1;
        }
      }
    }
    assert.equal(counts.valid + counts.invalid + counts.refusedUnsupportedSize, file.numberOfTests);
    // Pinned so that a changed vector file or a loosened size check is noticed.
    assert.deepEqual(counts, { valid: 39, invalid: 27, refusedUnsupportedSize: 250 });
  });
});
