import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CryptoInputError } from '../../src/crypto/crypto-errors.js';
import { encodeEncryptionContext } from '../../src/crypto/encryption-context.js';

const encodedHex = (context?: Record<string, string>): string => encodeEncryptionContext(context).toString('hex');

describe('encodeEncryptionContext', () => {
  test('golden: empty and absent contexts both encode to a zero count', () => {
    assert.equal(encodedHex(), '00000000');
    assert.equal(encodedHex({}), '00000000');
  });

  test('golden: one pair is count, then length-prefixed key and value', () => {
    assert.equal(
      encodedHex({ purpose: 'test' }),
      ['00000001', '00000007', '707572706f7365', '00000004', '74657374'].join(''),
    );
  });

  test('golden: an empty value still carries its zero length', () => {
    assert.equal(encodedHex({ k: '' }), ['00000001', '00000001', '6b', '00000000'].join(''));
  });

  test('golden: two pairs are sorted by key bytes whatever the insertion order', () => {
    const expected = ['00000002', '00000001', '61', '00000001', '31', '00000001', '62', '00000001', '32'].join('');
    assert.equal(encodedHex({ a: '1', b: '2' }), expected);
    assert.equal(encodedHex({ b: '2', a: '1' }), expected);
  });

  test('length prefixes make {"ab":"c"} and {"a":"bc"} differ', () => {
    assert.notEqual(encodedHex({ ab: 'c' }), encodedHex({ a: 'bc' }));
    assert.notEqual(encodedHex({ a: 'b', c: 'd' }), encodedHex({ a: 'bcd' }));
    assert.notEqual(encodedHex({ a: '' }), encodedHex({}));
  });

  test('keys are sorted by UTF-8 bytes, not UTF-16 code units: "\\uFF61" precedes "\\u{1F600}"', () => {
    const halfwidthStop = '\uFF61'; // UTF-8 EF BD A1, UTF-16 FF61
    const grinning = '\u{1F600}'; // UTF-8 F0 9F 98 80, UTF-16 D83D DE00
    // The pitfall: JavaScript's default string order puts the emoji first.
    assert.deepEqual([halfwidthStop, grinning].sort(), [grinning, halfwidthStop]);
    const expected = [
      '00000002',
      '00000003', 'efbda1', '00000001', '61',
      '00000004', 'f09f9880', '00000001', '62',
    ].join('');
    assert.equal(encodedHex({ [grinning]: 'b', [halfwidthStop]: 'a' }), expected);
    assert.equal(encodedHex({ [halfwidthStop]: 'a', [grinning]: 'b' }), expected);
  });

  test('keys are sorted by bytes, not localeCompare: "B" (0x42) precedes "a" (0x61)', () => {
    assert.ok('a'.localeCompare('B') < 0, 'the pitfall: locale order puts "a" first');
    const expected = ['00000002', '00000001', '42', '00000001', '32', '00000001', '61', '00000001', '31'].join('');
    assert.equal(encodedHex({ a: '1', B: '2' }), expected);
  });

  test('a key sorts before every longer key it prefixes', () => {
    const encoded = encodedHex({ ab: '2', a: '1' });
    assert.ok(encoded.startsWith('00000002' + '00000001' + '61'));
  });

  test('lone surrogates are refused, so "\\uD800" cannot stand in for "\\uFFFD"', () => {
    assert.throws(() => encodeEncryptionContext({ k: '\uD800' }), CryptoInputError);
    assert.throws(() => encodeEncryptionContext({ '\uDC00x': 'v' }), CryptoInputError);
    assert.throws(() => encodeEncryptionContext({ k: 'a\uD83D' }), CryptoInputError);
    assert.equal(encodedHex({ k: '\uFFFD' }), ['00000001', '00000001', '6b', '00000003', 'efbfbd'].join(''));
    assert.doesNotThrow(() => encodeEncryptionContext({ k: '\u{1F600}' }));
  });

  test('a value that is not a string (from unvalidated JSON) is refused', () => {
    const context = JSON.parse('{"k": 1}') as Record<string, string>;
    assert.throws(() => encodeEncryptionContext(context), CryptoInputError);
  });

  test('an own "__proto__" key from JSON is encoded like any other key', () => {
    const context = JSON.parse('{"__proto__": "v"}') as Record<string, string>;
    assert.equal(
      encodedHex(context),
      ['00000001', '00000009', Buffer.from('__proto__').toString('hex'), '00000001', '76'].join(''),
    );
  });

  test('error messages never contain the context', () => {
    try {
      encodeEncryptionContext({ 'secret-key-name': 'secret-value\uD800' });
      assert.fail('expected a refusal');
    } catch (error) {
      assert.ok(error instanceof CryptoInputError);
      assert.doesNotMatch(error.message, /secret/);
    }
  });
});
