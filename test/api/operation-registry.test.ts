import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { KMS_OPERATION_INPUTS } from '../../src/api/generated/kms-schema.js';
import { KMS_OPERATIONS, UNSUPPORTED_OPERATIONS } from '../../src/api/operations/index.js';
import { callKms } from '../security/kms-json.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { fromShared } from '../support/shared.js';

/**
 * Every operation of the AWS KMS model is either implemented (the registry) or named as unsupported, and never
 * both (issue #18): an operation can never silently go missing, and one the model gains fails here until
 * someone decides which list it belongs to.
 */

const model = fromShared('aws-models/kms/service-2.json');
const implemented = [...KMS_OPERATIONS.keys()];
const unsupported = [...UNSUPPORTED_OPERATIONS.keys()];
const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe('the operation registry and the unsupported list cover the model exactly', () => {
  test('no operation is both implemented and unsupported', () => {
    assert.deepEqual(implemented.filter((name) => UNSUPPORTED_OPERATIONS.has(name)), []);
  });

  test('together they are the operations of the committed generated schema', () => {
    assert.deepEqual(sorted([...implemented, ...unsupported]), sorted(Object.keys(KMS_OPERATION_INPUTS)));
  });

  test('together they are the 54 operations of the AWS model', { skip: model.skip }, () => {
    const { operations } = JSON.parse(readFileSync(model.path, 'utf8')) as { operations: Record<string, unknown> };
    assert.equal(Object.keys(operations).length, 54);
    assert.deepEqual(sorted([...implemented, ...unsupported]), sorted(Object.keys(operations)));
  });
});

describe('an unsupported operation is refused over the wire with UnsupportedOperationException', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  for (const operation of unsupported) {
    test(`${operation} answers 400 UnsupportedOperationException`, async () => {
      const answer = await callKms(server, server.credentials, operation, {});
      assert.deepEqual(
        [answer.status, answer.error, answer.message],
        [400, 'UnsupportedOperationException', `${operation} is not supported by Strongroom.`],
      );
    });
  }

  test('a name the model does not have is unknown, not unsupported', async () => {
    const answer = await callKms(server, server.credentials, 'ImportKeyMaterials', {});
    assert.equal(answer.error, 'UnknownOperationException');
  });
});

/** The operations AWS records with `readOnly: true` (AWS KMS Developer Guide, CloudTrail log entry examples). */
const AWS_READ_ONLY = new Set([
  'Decrypt', 'DeriveSharedSecret', 'DescribeCustomKeyStores', 'DescribeKey', 'Encrypt', 'GenerateDataKey',
  'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac',
  'GenerateRandom', 'GetKeyLastUsage', 'GetKeyPolicy', 'GetKeyRotationStatus', 'GetParametersForImport',
  'GetPublicKey', 'ListAliases', 'ListGrants', 'ListKeyPolicies', 'ListKeyRotations', 'ListKeys', 'ListResourceTags',
  'ListRetirableGrants', 'ReEncrypt', 'Sign', 'Verify', 'VerifyMac',
]);

test('each operation declares readOnly as AWS records it, implemented or not (the one place that says it)', () => {
  const declared = new Map([...KMS_OPERATIONS, ...UNSUPPORTED_OPERATIONS].map(([name, { readOnly }]) => [name, readOnly]));
  for (const [name, readOnly] of declared) assert.equal(readOnly, AWS_READ_ONLY.has(name), name);
});
