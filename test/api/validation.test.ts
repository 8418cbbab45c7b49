import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KmsError } from '../../src/errors.js';
import { KMS_OPERATION_INPUTS } from '../../src/api/generated/kms-schema.js';
import type { KmsOperationName } from '../../src/api/generated/kms-shapes.js';
import { compileJavaPattern } from '../../src/api/validation/java-pattern.js';
import { decodeStrictBase64 } from '../../src/api/validation/strict-base64.js';
import { isKmsOperationName, validateRequest } from '../../src/api/validation/validate-request.js';

/** The error `validateRequest` throws, asserted to be the given AWS exception. */
function rejection(operation: KmsOperationName, body: unknown, type: string): KmsError {
  try {
    validateRequest(operation, body);
  } catch (error) {
    assert.ok(error instanceof KmsError, `expected a KmsError, got ${String(error)}`);
    assert.equal(error.type, type);
    return error;
  }
  assert.fail(`${operation} accepted the request`);
}

function validationMessage(operation: KmsOperationName, body: unknown): string {
  return rejection(operation, body, 'ValidationException').message;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';

describe('validateRequest: constraint violations in AWS words', () => {
  test('a missing or null required member must not be null', () => {
    assert.equal(
      validationMessage('Encrypt', { KeyId: null }),
      "2 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'plaintext' failed to satisfy constraint: Member must not be null",
    );
  });

  test('string length below the minimum and above the maximum', () => {
    assert.equal(
      validationMessage('DescribeKey', { KeyId: '' }),
      "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: " +
        'Member must have length greater than or equal to 1',
    );
    const long = 'k'.repeat(2049);
    assert.equal(
      validationMessage('DescribeKey', { KeyId: long }),
      `1 validation error detected: Value '${long}' at 'keyId' failed to satisfy constraint: ` +
        'Member must have length less than or equal to 2048',
    );
  });

  test('integer values below the minimum and above the maximum', () => {
    assert.equal(
      validationMessage('GenerateRandom', { NumberOfBytes: 0 }),
      "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: " +
        'Member must have value greater than or equal to 1',
    );
    assert.match(
      validationMessage('GenerateRandom', { NumberOfBytes: 1025 }),
      /Value '1025' at 'numberOfBytes' .*less than or equal to 1024$/,
    );
  });

  test('enum values list the model values in order', () => {
    assert.equal(
      validationMessage('GenerateDataKey', { KeyId: KEY, KeySpec: 'AES_512' }),
      "1 validation error detected: Value 'AES_512' at 'keySpec' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [AES_256, AES_128]',
    );
  });

  test('patterns are matched against the whole value and reported verbatim', () => {
    assert.equal(
      validationMessage('DeleteAlias', { AliasName: 'alias/has space' }),
      "1 validation error detected: Value 'alias/has space' at 'aliasName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$',
    );
    assert.equal(
      validationMessage('CreateAlias', { AliasName: '', TargetKeyId: KEY }),
      "2 validation errors detected: Value '' at 'aliasName' failed to satisfy constraint: Member must have length " +
        "greater than or equal to 1; Value '' at 'aliasName' failed to satisfy constraint: Member must satisfy " +
        'regular expression pattern: ^[a-zA-Z0-9:/_-]+$',
    );
  });

  test('several violations are reported together, in member order', () => {
    const message = validationMessage('GenerateDataKey', { KeyId: '', NumberOfBytes: 2000, KeySpec: 'X' });
    assert.match(message, /^3 validation errors detected: /);
    const paths = [...message.matchAll(/ at '([^']+)'/g)].map((match) => match[1]);
    assert.deepEqual(paths, ['keyId', 'numberOfBytes', 'keySpec']);
    assert.equal(message.split('; ').length, 3);
  });

  test('nested list members are named with their 1-based index', () => {
    assert.equal(
      validationMessage('CreateKey', { Tags: [{ TagKey: '', TagValue: 'v' }, { TagKey: 'k' }] }),
      "2 validation errors detected: Value '' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must " +
        "have length greater than or equal to 1; Value null at 'tags.2.member.tagValue' failed to satisfy " +
        'constraint: Member must not be null',
    );
    assert.match(
      validationMessage('CreateGrant', { KeyId: KEY, Operations: ['Encrypt', 'Bogus'] }),
      /^1 validation error detected: Value 'Bogus' at 'operations\.2\.member' .*enum value set: \[Decrypt, Encrypt, /,
    );
  });

  test('list lengths count items and echo a list of strings as AWS prints it', () => {
    assert.equal(
      validationMessage('Decrypt', { GrantTokens: Array.from({ length: 11 }, (_, index) => `t${index}`) }),
      "1 validation error detected: Value '[t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10]' at 'grantTokens' " +
        'failed to satisfy constraint: Member must have length less than or equal to 10',
    );
  });
});

describe('validateRequest: the live service overrides the model', () => {
  test('ScheduleKeyDeletion accepts a pending window of 7 to 30 days only', () => {
    const schedule = (days: number): object => ({ KeyId: KEY, PendingWindowInDays: days });
    assert.match(validationMessage('ScheduleKeyDeletion', schedule(6)), /Value '6' at 'pendingWindowInDays' .* to 7$/);
    assert.match(validationMessage('ScheduleKeyDeletion', schedule(31)), /Value '31' at 'pendingWindowInDays' .*30$/);
    assert.equal(validateRequest('ScheduleKeyDeletion', schedule(7)).PendingWindowInDays, 7);
    assert.equal(validateRequest('ScheduleKeyDeletion', schedule(30)).PendingWindowInDays, 30);
  });

  test('key policy documents are limited to 32768 characters', () => {
    const policy = (length: number): string => `{${' '.repeat(length - 2)}}`;
    for (const operation of ['PutKeyPolicy', 'CreateKey', 'ReplicateKey'] as const) {
      const body = { KeyId: KEY, ReplicaRegion: 'eu-west-1', Policy: policy(32769) };
      assert.match(validationMessage(operation, body), /at 'policy' failed .*length less than or equal to 32768$/);
      assert.equal(validateRequest(operation, { ...body, Policy: policy(32768) }).Policy?.length, 32768);
    }
  });

  test('GenerateRandom requires NumberOfBytes, in the words AWS uses for it', () => {
    assert.equal(validationMessage('GenerateRandom', {}), 'NumberOfBytes is required.');
    assert.equal(validationMessage('GenerateRandom', { NumberOfBytes: null }), 'NumberOfBytes is required.');
    // A broken constraint of the model is reported first, as the model's violation.
    assert.match(
      validationMessage('GenerateRandom', { CustomKeyStoreId: '' }),
      /^1 validation error detected: Value '' at 'customKeyStoreId' failed to satisfy constraint: /,
    );
  });

  test('plaintext is limited to 4096 decoded bytes', () => {
    const limit = Buffer.alloc(4096, 1).toString('base64');
    assert.equal(validateRequest('Encrypt', { KeyId: KEY, Plaintext: limit }).Plaintext.length, 4096);
    assert.equal(
      validationMessage('Encrypt', { KeyId: KEY, Plaintext: Buffer.alloc(4097, 1).toString('base64') }),
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: " +
        'Member must have length less than or equal to 4096',
    );
  });
});

describe('validateRequest: reading the wire values', () => {
  test('blobs are decoded from base64 and their length is the decoded byte count', () => {
    const input = validateRequest('Encrypt', { KeyId: KEY, Plaintext: b64('hello') });
    assert.ok(Buffer.isBuffer(input.Plaintext));
    assert.equal(input.Plaintext.toString(), 'hello');
    // 4 base64 characters are 3 bytes: a 1-byte CiphertextType minimum is met by 'AA==' (one byte).
    assert.equal(validateRequest('Decrypt', { CiphertextBlob: 'AA==' }).CiphertextBlob?.length, 1);
    assert.match(
      validationMessage('Encrypt', { KeyId: KEY, Plaintext: '' }),
      /Value at 'plaintext' .*greater than or equal to 1$/,
    );
  });

  test('timestamps are read from epoch seconds', () => {
    const input = validateRequest('ImportKeyMaterial', {
      KeyId: KEY, ImportToken: 'AA==', EncryptedKeyMaterial: 'AA==', ValidTo: 1700000000.5,
    });
    assert.deepEqual(input.ValidTo, new Date(1700000000500));
  });

  test('unknown members are ignored and dropped; null members count as absent', () => {
    const input = validateRequest('DescribeKey', { KeyId: KEY, GrantTokens: null, Surprise: { deep: [1] } });
    assert.deepEqual(input, { KeyId: KEY });
  });

  test('encryption context is copied into a prototype-less map', () => {
    const wire = `{"KeyId":"${KEY}","Plaintext":"AA==","EncryptionContext":{"constructor":"x","__proto__":"y"}}`;
    const body = JSON.parse(wire) as unknown;
    const context = validateRequest('Encrypt', body).EncryptionContext ?? {};
    assert.equal(Object.getPrototypeOf(context), null);
    assert.deepEqual(Object.entries(context), [['constructor', 'x'], ['__proto__', 'y']]);
  });

  test('every operation of the model validates an empty body without crashing', () => {
    const operations = Object.keys(KMS_OPERATION_INPUTS) as KmsOperationName[];
    assert.equal(operations.length, 54);
    for (const operation of operations) {
      try {
        validateRequest(operation, {});
      } catch (error) {
        assert.ok(error instanceof KmsError && error.type === 'ValidationException', `${operation}: ${String(error)}`);
      }
    }
  });

  test('isKmsOperationName knows the 54 operations and nothing inherited', () => {
    assert.ok(isKmsOperationName('Encrypt'));
    assert.ok(!isKmsOperationName('constructor'));
    assert.ok(!isKmsOperationName('encrypt'));
  });
});

describe('validateRequest: SerializationException for values of the wrong JSON type', () => {
  const encrypt = { KeyId: KEY, Plaintext: 'AA==' };
  const importKeyMaterial = { KeyId: KEY, ImportToken: 'AA==', EncryptedKeyMaterial: 'AA==' };
  const cases: ReadonlyArray<[string, KmsOperationName, Record<string, unknown>, string]> = [
    ['a string where an integer is expected', 'GenerateRandom', { NumberOfBytes: '32' }, 'numberOfBytes'],
    ['a fractional number for an integer', 'GenerateRandom', { NumberOfBytes: 1.5 }, 'numberOfBytes'],
    ['an integer beyond 32 bits', 'GenerateRandom', { NumberOfBytes: 2 ** 31 }, 'numberOfBytes'],
    ['a number where a string is expected', 'DescribeKey', { KeyId: 42 }, 'keyId'],
    ['an object where a list is expected', 'DescribeKey', { KeyId: KEY, GrantTokens: { a: 'b' } }, 'grantTokens'],
    ['null inside a list', 'DescribeKey', { KeyId: KEY, GrantTokens: [null] }, 'grantTokens.1.member'],
    ['a string where a boolean is expected', 'Encrypt', { ...encrypt, DryRun: 'true' }, 'dryRun'],
    ['a list where a map is expected', 'Encrypt', { ...encrypt, EncryptionContext: ['a'] }, 'encryptionContext'],
    ['a number as a map value', 'Encrypt', { ...encrypt, EncryptionContext: { a: 1 } }, 'encryptionContext'],
    ['a string where a structure is expected', 'CreateKey', { Tags: ['x'] }, 'tags.1.member'],
    ['URL-safe base64 for a blob', 'Encrypt', { KeyId: KEY, Plaintext: 'a-_b' }, 'plaintext'],
    ['non-base64 characters in a blob', 'Encrypt', { KeyId: KEY, Plaintext: 'aGVs bG8=' }, 'plaintext'],
    ['a number for a blob', 'Encrypt', { KeyId: KEY, Plaintext: 7 }, 'plaintext'],
    ['a string for a timestamp', 'ImportKeyMaterial', { ...importKeyMaterial, ValidTo: 'soon' }, 'validTo'],
  ];
  for (const [name, operation, body, path] of cases) {
    test(name, () => {
      const { message } = rejection(operation, body, 'SerializationException');
      assert.ok(message.includes(`'${path}'`), message);
    });
  }

  test('a body that is not a JSON object', () => {
    for (const body of [null, [], 'KeyId', 3]) rejection('DescribeKey', body, 'SerializationException');
  });
});

describe('validateRequest never repeats a secret', () => {
  const SENTINEL = 'SENTINEL-PLAINTEXT-7f3a9c';
  const forms = [SENTINEL, b64(SENTINEL)];
  const assertNoSentinel = (message: string): void => {
    for (const form of forms) assert.ok(!message.includes(form), `leaked: ${message}`);
  };

  test('not in constraint violations of blobs or sensitive strings', () => {
    const oversized = Buffer.from(SENTINEL.repeat(200)).toString('base64');
    const messages = [
      validationMessage('Encrypt', { KeyId: KEY, Plaintext: oversized }),
      validationMessage('Sign', { KeyId: KEY, Message: oversized, SigningAlgorithm: 'ECDSA_SHA_256' }),
      validationMessage('CreateCustomKeyStore', { CustomKeyStoreName: 'store', KeyStorePassword: SENTINEL.repeat(2) }),
      validationMessage('CreateCustomKeyStore', {
        CustomKeyStoreName: 'store',
        XksProxyAuthenticationCredential: { AccessKeyId: SENTINEL, RawSecretAccessKey: SENTINEL },
      }),
    ];
    for (const message of messages) assertNoSentinel(message);
    assert.match(messages[2] ?? '', /Value at 'keyStorePassword' failed/);
    assert.match(messages[3] ?? '', /Value at 'xksProxyAuthenticationCredential\.rawSecretAccessKey' failed/);
  });

  test('not in SerializationException messages', () => {
    const bodies = [
      { KeyId: KEY, Plaintext: `${SENTINEL}!` },
      { KeyId: KEY, Plaintext: [SENTINEL] },
      { KeyId: SENTINEL, Plaintext: { value: SENTINEL } },
    ];
    for (const body of bodies) assertNoSentinel(rejection('Encrypt', body, 'SerializationException').message);
  });
});

describe('strict base64 and Java patterns', () => {
  test('decodeStrictBase64 agrees with a reference grammar on generated strings', () => {
    const reference = (text: string): Buffer | undefined => {
      const remainder = text.length % 4;
      const wellFormed = /^[A-Za-z0-9+/]*={0,2}$/.test(text) && !(remainder !== 0 && text.endsWith('='));
      return remainder !== 1 && wellFormed ? Buffer.from(text, 'base64') : undefined;
    };
    const alphabet = 'ABQRabz09+/=-_ !é\n';
    let state = 0x2545f491; // a fixed xorshift seed: the same strings on every run
    const next = (): number => {
      state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
      return (state >>> 0) % alphabet.length;
    };
    for (let round = 0; round < 20000; round += 1) {
      let text = '';
      for (let index = 0; index < round % 11; index += 1) text += alphabet[next()];
      assert.deepEqual(decodeStrictBase64(text), reference(text), JSON.stringify(text));
    }
  });

  test('patterns are anchored and Java\'s \\s is ASCII whitespace only', () => {
    assert.ok(compileJavaPattern('[0-9]{12}').test('123456789012'));
    assert.ok(!compileJavaPattern('[0-9]{12}').test('x123456789012'));
    const description = compileJavaPattern('^[a-zA-Z0-9:/_\\s.-]+$');
    assert.ok(description.test('imported key\tv1.0'));
    assert.ok(!description.test('imported\u00a0key'));
    assert.ok(compileJavaPattern('^[a-zA-Z0-9-_.]+$').test('xks-key_1.0'));
  });
});
