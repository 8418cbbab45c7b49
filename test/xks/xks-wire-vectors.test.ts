import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ciphertextDataIntegrityValue, externalKeyAad } from '../../src/xks/xks-wire.js';
import { specAad } from './xks-fixtures.js';

/*
 * The byte layouts of the XKS proxy API specification, checked against its own example (Encrypt's response example
 * and Appendix C) rather than against our code.
 */

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** Appendix C's 86 bytes, field by field. */
const APPENDIX_C = {
  aad: hex('70 72 6f 6a 65 63 74 3d 6e 69 6c 65 2c 64 65 70 61 72 74 6d 65 6e 74 3d 6d 61 72 6b 65 74 69 6e 67'),
  metadata: hex('6b 65 79 5f 76 65 72 73 69 6f 6e 3d 31'),
  iv: hex('1c ca e5 47 0f 39 70 02 54 77 90 31'),
  ciphertext: hex('82 1c 64 2b 5b 71 78 33 67 de af 18'),
  tag: hex('bc 1c 4d da 77 07 d6 81 24 47 c5 95 5e 99 b2 61'),
};

describe('the specification\'s example values', () => {
  test('Appendix C: the CDIV of the Encrypt example is qHA/ImC9h5HsLRXqCyPmWgYx7tzyoTplzILbP0fPXsc=', () => {
    const { aad, metadata, iv, ciphertext, tag } = APPENDIX_C;
    assert.equal(aad.length + metadata.length + iv.length + ciphertext.length + tag.length, 86);
    assert.equal(
      ciphertextDataIntegrityValue({ additionalAuthenticatedData: aad, ciphertextMetadata: metadata, initializationVector: iv, ciphertext, authenticationTag: tag }),
      'qHA/ImC9h5HsLRXqCyPmWgYx7tzyoTplzILbP0fPXsc=',
    );
  });

  test('the example\'s fields are the Base64 of Appendix C\'s bytes (the request and response examples agree)', () => {
    assert.equal(APPENDIX_C.aad.toString('base64'), 'cHJvamVjdD1uaWxlLGRlcGFydG1lbnQ9bWFya2V0aW5n');
    assert.equal(APPENDIX_C.metadata.toString('base64'), 'a2V5X3ZlcnNpb249MQ==');
    assert.equal(APPENDIX_C.iv.toString('base64'), 'HMrlRw85cAJUd5Ax');
    assert.equal(APPENDIX_C.ciphertext.toString('base64'), 'ghxkK1txeDNn3q8Y');
    assert.equal(APPENDIX_C.tag.toString('base64'), 'vBxN2ncH1oEkR8WVXpmyYQ==');
  });

  test('an absent AAD or metadata is the empty string in the CDIV', () => {
    const { iv, ciphertext, tag } = APPENDIX_C;
    const without = ciphertextDataIntegrityValue({ initializationVector: iv, ciphertext, authenticationTag: tag });
    const empty = ciphertextDataIntegrityValue({
      additionalAuthenticatedData: Buffer.alloc(0), ciphertextMetadata: Buffer.alloc(0), initializationVector: iv, ciphertext, authenticationTag: tag,
    });
    assert.equal(without, empty);
  });

  test('the key manager\'s AAD carries both lengths, big-endian, zero for an absent field', () => {
    const { aad, metadata } = APPENDIX_C;
    assert.deepEqual(externalKeyAad(aad, metadata), Buffer.concat([hex('00 21'), aad, hex('0d'), metadata]));
    assert.deepEqual(externalKeyAad(undefined, undefined), hex('00 00 00'));
    assert.deepEqual(externalKeyAad(aad, metadata), specAad(aad, metadata));
    // "AAD x with no metadata" and "no AAD with metadata x" differ (the specification's NOTE).
    assert.notDeepEqual(externalKeyAad(metadata, undefined), externalKeyAad(undefined, metadata));
    const big = Buffer.alloc(8192, 7);
    assert.deepEqual(externalKeyAad(big, undefined).subarray(0, 2), hex('20 00'));
  });
});
