import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  openCiphertextBlob,
  parseCiphertextBlob,
  sealCiphertextBlob,
  sealCiphertextBlobWithIv,
} from '../../src/crypto/ciphertext-blob.js';
import { CryptoInputError, InvalidCiphertextError } from '../../src/crypto/crypto-errors.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';

const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const materialId = 'a2450214fec6298285cc084c9fc6a201c5607cc7d534962105135f12dc4b29a2';
const goldenMaterial = SecretBytes.copyOf(Buffer.from(Array.from({ length: 32 }, (_, index) => index + 1)));
const goldenIv = Buffer.from('a0a1a2a3a4a5a6a7a8a9aaab', 'hex');
const goldenPlaintext = Buffer.from('Strongroom golden plaintext');
const goldenContext = { tenant: '\uFF61', purpose: 'golden' };

// Computed independently with Python's `cryptography` (AESGCM) from docs/ciphertext-format.md.
const goldenBlobHex = [
  '5352', // magic "SR"
  '01', // format version
  '004b', // ARN length (75)
  Buffer.from(keyArn).toString('hex'),
  materialId,
  'a0a1a2a3a4a5a6a7a8a9aaab', // IV
  'eaa54f0993d2286b1063820c9ee944e139f7c07539010ef04223a1', // ciphertext
  'f713f76df06ff42df62ed327c124a239', // tag
].join('');

function sealGolden(): Buffer {
  const material = goldenMaterial;
  const params = { keyArn, materialId, material, plaintext: goldenPlaintext, encryptionContext: goldenContext };
  return sealCiphertextBlobWithIv(params, goldenIv);
}

function isInvalidCiphertext(error: unknown): boolean {
  return error instanceof InvalidCiphertextError;
}

/** A blob's header with chosen ARN bytes, followed by `rest` (material id, IV, ciphertext and tag). */
function blobWithArnBytes(arn: Buffer, declaredLength = arn.length, rest = randomBytes(32 + 12 + 20 + 16)): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(declaredLength);
  return Buffer.concat([Buffer.from('SR'), Buffer.of(1), length, arn, rest]);
}

describe('ciphertext blob, format version 1', () => {
  test('golden: a fixed key, IV, plaintext and context produce pinned bytes', () => {
    assert.equal(sealGolden().toString('hex'), goldenBlobHex);
  });

  test('golden blob parses to its key ARN and material id and opens to its plaintext', () => {
    const parsed = parseCiphertextBlob(Buffer.from(goldenBlobHex, 'hex'));
    assert.equal(parsed.formatVersion, 1);
    assert.equal(parsed.keyArn, keyArn);
    assert.equal(parsed.materialId, materialId);
    assert.deepEqual(parsed.iv, goldenIv);
    assert.ok(Object.isFrozen(parsed));
    const opened = openCiphertextBlob(parsed, goldenMaterial, { purpose: 'golden', tenant: '\uFF61' });
    assert.deepEqual(opened.expose(), goldenPlaintext);
  });

  test('round trip with a random IV, SecretBytes plaintext and no context', () => {
    const material = SecretBytes.random(32);
    const plaintext = SecretBytes.random(64);
    const blob = sealCiphertextBlob({ keyArn, materialId, material, plaintext });
    const again = sealCiphertextBlob({ keyArn, materialId, material, plaintext });
    assert.notDeepEqual(blob, again, 'each seal draws a fresh IV');
    const parsed = parseCiphertextBlob(blob);
    assert.ok(openCiphertextBlob(parsed, material).equals(plaintext));
    assert.ok(openCiphertextBlob(parsed, material, {}).equals(plaintext), 'empty context equals absent context');
  });

  test('every single-byte flip of the blob is rejected', () => {
    const blob = Buffer.from(goldenBlobHex, 'hex');
    let rejected = 0;
    for (let index = 0; index < blob.length; index += 1) {
      for (const mask of [0x01, 0x80]) {
        const altered = Buffer.from(blob);
        altered[index] = (altered[index] ?? 0) ^ mask;
        assert.throws(
          () => openCiphertextBlob(parseCiphertextBlob(altered), goldenMaterial, goldenContext),
          isInvalidCiphertext,
          `byte ${index} ^ ${mask}`,
        );
        rejected += 1;
      }
    }
    assert.equal(rejected, blob.length * 2);
  });

  test('every truncation and an appended byte are rejected', () => {
    const blob = Buffer.from(goldenBlobHex, 'hex');
    for (let length = 0; length < blob.length; length += 1) {
      assert.throws(
        () => openCiphertextBlob(parseCiphertextBlob(blob.subarray(0, length)), goldenMaterial, goldenContext),
        isInvalidCiphertext,
        `length ${length}`,
      );
    }
    const extended = Buffer.concat([blob, Buffer.of(0)]);
    const openExtended = (): SecretBytes => openCiphertextBlob(parseCiphertextBlob(extended), goldenMaterial, goldenContext);
    assert.throws(openExtended, isInvalidCiphertext);
  });

  test('a different encryption context is rejected', () => {
    const parsed = parseCiphertextBlob(sealGolden());
    for (const context of [
      undefined,
      {},
      { purpose: 'golden' },
      { purpose: 'golden', tenant: '\uFF62' },
      { purpose: 'golden', tenant: '\uFF61', extra: '' },
      { purposeg: 'olden', tenant: '\uFF61' },
    ]) {
      assert.throws(() => openCiphertextBlob(parsed, goldenMaterial, context), isInvalidCiphertext);
    }
  });

  test('other key material is rejected', () => {
    const parsed = parseCiphertextBlob(sealGolden());
    assert.throws(() => openCiphertextBlob(parsed, SecretBytes.random(32), goldenContext), isInvalidCiphertext);
  });

  test('AWS Encryption SDK messages (01 80 ..., 02 05 ...) are refused as not this format', () => {
    for (const prefix of [Buffer.of(0x01, 0x80), Buffer.of(0x02, 0x05)]) {
      const message = Buffer.concat([prefix, randomBytes(300)]);
      assert.throws(() => parseCiphertextBlob(message), /not in the Strongroom format/);
    }
  });

  test('an unknown format version is refused', () => {
    const blob = sealGolden();
    blob[2] = 2;
    assert.throws(() => parseCiphertextBlob(blob), /unsupported format version/);
  });

  test('bad ARN lengths are refused: zero, above the bound, beyond the blob', () => {
    assert.throws(() => parseCiphertextBlob(blobWithArnBytes(Buffer.alloc(0))), /invalid key ARN length/);
    const long = Buffer.from(`arn:aws:kms:us-east-1:111122223333:key/${'a'.repeat(300)}`);
    assert.throws(() => parseCiphertextBlob(blobWithArnBytes(long)), /invalid key ARN length/);
    assert.throws(() => parseCiphertextBlob(blobWithArnBytes(Buffer.from(keyArn), 0xffff)), /invalid key ARN length/);
  });

  test('a non-UTF-8 ARN is refused', () => {
    const arn = Buffer.from(keyArn);
    arn[arn.length - 1] = 0xff;
    assert.throws(() => parseCiphertextBlob(blobWithArnBytes(arn)), /not UTF-8/);
  });

  test('ARNs not shaped arn:aws:kms:<region>:<12 digits>:key/<id> are refused', () => {
    for (const arn of [
      'arn:aws:s3:::my-bucket',
      'arn:aws:kms:us-east-1:11112222333:key/abc',
      'arn:aws:kms:us-east-1:111122223333:alias/my-alias',
      'arn:aws:kms:us-east-1:111122223333:key/',
      'arn:aws:kms::111122223333:key/abc',
      'xarn:aws:kms:us-east-1:111122223333:key/abc',
      `${keyArn}\n`,
    ]) {
      assert.throws(() => parseCiphertextBlob(blobWithArnBytes(Buffer.from(arn))), /malformed key ARN/, arn);
    }
  });

  test('sealing refuses a malformed ARN or material id instead of writing an unparseable blob', () => {
    const material = SecretBytes.random(32);
    const plaintext = Buffer.from('x');
    assert.throws(() => sealCiphertextBlob({ keyArn: 'alias/x', materialId, material, plaintext }), CryptoInputError);
    for (const badId of ['', materialId.toUpperCase(), materialId.slice(1), `${materialId}00`, 'g'.repeat(64)]) {
      assert.throws(() => sealCiphertextBlob({ keyArn, materialId: badId, material, plaintext }), CryptoInputError);
    }
  });

  test('partitions other than aws (aws-cn, aws-us-gov) are accepted', () => {
    const material = SecretBytes.random(32);
    const arns = ['arn:aws-cn:kms:cn-north-1:111122223333:key/k1', 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/k2'];
    for (const arn of arns) {
      const blob = sealCiphertextBlob({ keyArn: arn, materialId, material, plaintext: Buffer.from('x') });
      assert.equal(parseCiphertextBlob(blob).keyArn, arn);
    }
  });

  test('error messages never contain the plaintext or the context', () => {
    const parsed = parseCiphertextBlob(sealGolden());
    try {
      openCiphertextBlob(parsed, goldenMaterial, { purpose: 'sentinel-context' });
      assert.fail('expected a refusal');
    } catch (error) {
      assert.ok(error instanceof InvalidCiphertextError);
      assert.doesNotMatch(error.message, /sentinel|golden|Strongroom golden plaintext/);
    }
  });
});
