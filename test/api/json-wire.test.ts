import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonResponse } from '../../src/api/http/json-wire.js';

const blob = Buffer.from([0xfb, 0xff, 0x00, 0x3e, 0x3f]); // base64 with '+' and '/'

function bodyOf(output: unknown): unknown {
  return JSON.parse(jsonResponse('request-1', output).body);
}

describe('jsonResponse', () => {
  it('writes top-level blobs as base64 beside the other members', () => {
    assert.deepEqual(bodyOf({ CiphertextBlob: blob, KeyId: 'arn:aws:kms:us-east-1:111122223333:key/k', Missing: undefined }), {
      KeyId: 'arn:aws:kms:us-east-1:111122223333:key/k',
      CiphertextBlob: blob.toString('base64'),
    });
  });

  it('writes an output of blobs only, and one without blobs', () => {
    assert.deepEqual(bodyOf({ Plaintext: blob, CiphertextBlob: Buffer.alloc(0) }), { Plaintext: blob.toString('base64'), CiphertextBlob: '' });
    assert.deepEqual(bodyOf({ KeyId: 'k', Truncated: false }), { KeyId: 'k', Truncated: false });
    assert.deepEqual(bodyOf({}), {});
  });

  it('converts nested blobs and dates as AWS JSON does', () => {
    assert.deepEqual(bodyOf({ Keys: [{ Blob: blob }], KeyMetadata: { CreationDate: new Date(1_700_000_000_500) } }), {
      Keys: [{ Blob: blob.toString('base64') }],
      KeyMetadata: { CreationDate: 1_700_000_000.5 },
    });
  });

  it('answers an empty object for no output', () => {
    assert.equal(jsonResponse('request-1', undefined).body, '{}');
  });
});
