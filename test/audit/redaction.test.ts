import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { apiCallEvent, serviceEvent } from '../../src/audit/event-builder.js';
import { toAuditParameters, toAuditResponse } from '../../src/audit/event.js';
import { OPERATION_RULES } from '../../src/audit/redaction-rules.js';
import { fromShared } from '../support/shared.js';

const model = fromShared('aws-models/kms/service-2.json');

interface Shape {
  type: string;
  sensitive?: boolean;
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  value?: { shape: string };
}
interface Model {
  operations: Record<string, { input?: { shape: string }; output?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

const SENTINEL = 'SENTINEL-PLAINTEXT-7f3a9c';
const SENTINEL_FORMS = [SENTINEL, Buffer.from(SENTINEL).toString('base64'), Buffer.from(SENTINEL).toString('hex')];
/** Grant tokens are bearer credentials: the trail must not keep them either. */
const SECRET_STRING_SHAPES = new Set(['GrantTokenType']);

/**
 * A request or response of `shapeName` in which every secret member (blobs, sensitive shapes, grant tokens)
 * carries the sentinel — as a Buffer, as SecretBytes and as base64 text in turn — and every other string is
 * harmless. Maps (encryption context) are logged by design and get harmless values.
 */
function sample(models: Model, shapeName: string, blobForm: number, depth = 0): unknown {
  const shape = models.shapes[shapeName];
  if (shape === undefined || depth > 6) return undefined;
  const secret = shape.type === 'blob' || shape.sensitive === true || SECRET_STRING_SHAPES.has(shapeName);
  if (secret) {
    return [Buffer.from(SENTINEL), SecretBytes.copyOf(Buffer.from(SENTINEL)), SENTINEL_FORMS[1], SENTINEL][blobForm % 4];
  }
  switch (shape.type) {
    case 'structure':
      return Object.fromEntries(
        Object.entries(shape.members ?? {}).map(([name, member]) => [name, sample(models, member.shape, blobForm, depth + 1)]),
      );
    case 'list':
      return [sample(models, shape.member?.shape ?? '', blobForm, depth + 1)];
    case 'map':
      return { purpose: 'test' };
    case 'string':
      return 'harmless';
    case 'boolean':
      return true;
    case 'timestamp':
      return 1_700_000_000;
    default:
      return 7;
  }
}

void describe('audit redaction', { skip: model.skip }, () => {
  const models = model.skip === false ? (JSON.parse(readFileSync(model.path, 'utf8')) as Model) : undefined;

  void test('the allow-list covers exactly the operations of the KMS model', () => {
    assert.deepEqual(Object.keys(OPERATION_RULES).sort(), Object.keys(models?.operations ?? {}).sort());
  });

  void test('a sentinel plaintext in every secret member of every operation never reaches the audit record', () => {
    let operationsCarryingSentinel = 0;
    for (const [operation, definition] of Object.entries(models?.operations ?? {})) {
      for (let form = 0; form < 4; form += 1) {
        const input = sample(models as Model, definition.input?.shape ?? '', form);
        const output = sample(models as Model, definition.output?.shape ?? '', form);
        if (form === 3 && JSON.stringify([input, output]).includes(SENTINEL)) operationsCarryingSentinel += 1;
        const recorded = JSON.stringify({
          request: toAuditParameters(operation, input),
          response: toAuditResponse(operation, output, { keyArn: 'arn:aws:kms:us-east-1:111122223333:key/k' }),
          event: apiCallEvent({ ...FACTS, operation, input, output }),
        });
        for (const text of SENTINEL_FORMS) {
          assert.ok(!recorded.includes(text), `${operation} (form ${form}) leaked the sentinel`);
        }
      }
    }
    // The probe really carried secrets: plaintext, ciphertext, signatures, MACs, passwords, grant tokens...
    assert.ok(operationsCarryingSentinel >= 20, `only ${operationsCarryingSentinel} operations carried the sentinel`);
  });
});

const FACTS = {
  operation: 'Encrypt',
  readOnly: true,
  identity: { type: 'IAMUser' as const, principalId: 'AIDA1', arn: 'arn:aws:iam::111122223333:user/Alice', accountId: '111122223333', accessKeyId: 'AKIA1', userName: 'Alice' },
  time: Date.UTC(2025, 4, 20, 20, 46, 16, 500),
  region: 'us-east-1',
  sourceIp: '192.0.2.0',
  userAgent: 'aws-cli/2',
  requestId: 'req-1',
  eventId: 'evt-1',
  recipientAccountId: '111122223333',
};

void describe('audit record shapes (as AWS KMS logs them)', () => {
  const keyArn = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  void test('Encrypt logs keyId, encryptionAlgorithm and encryptionContext; no response', () => {
    const input = { KeyId: keyArn, Plaintext: 'c2VjcmV0', EncryptionContext: { Department: 'Engineering' }, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', GrantTokens: ['t'] };
    assert.deepEqual(toAuditParameters('Encrypt', input), { keyId: keyArn, encryptionContext: { Department: 'Engineering' }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    assert.equal(toAuditResponse('Encrypt', { CiphertextBlob: 'eA==', KeyId: keyArn }, { keyArn }), null);
  });

  void test('GenerateDataKey logs keyId, keySpec and encryptionContext', () => {
    assert.deepEqual(toAuditParameters('GenerateDataKey', { KeyId: 'k', KeySpec: 'AES_256', EncryptionContext: { Project: 'Alpha' } }), {
      keyId: 'k', encryptionContext: { Project: 'Alpha' }, keySpec: 'AES_256',
    });
  });

  void test('CreateKey logs its request and the keyMetadata response with AWS date format', () => {
    const output = { KeyMetadata: { AWSAccountId: '111122223333', KeyId: 'k', Arn: keyArn, CreationDate: Date.UTC(2022, 7, 10, 22, 38, 27) / 1000, Enabled: true, KeyUsage: 'ENCRYPT_DECRYPT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } };
    assert.deepEqual(toAuditResponse('CreateKey', output), {
      keyMetadata: { AWSAccountId: '111122223333', keyId: 'k', arn: keyArn, creationDate: 'Aug 10, 2022, 10:38:27 PM', enabled: true, keyUsage: 'ENCRYPT_DECRYPT', encryptionAlgorithms: ['SYMMETRIC_DEFAULT'] },
    });
    assert.deepEqual(toAuditParameters('CreateKey', { KeySpec: 'SYMMETRIC_DEFAULT', Tags: [{ TagKey: 'a', TagValue: 'b' }] }), {
      keySpec: 'SYMMETRIC_DEFAULT', tags: [{ tagKey: 'a', tagValue: 'b' }],
    });
  });

  void test('CreateGrant logs the grant id and the key ARN, never the grant token', () => {
    assert.deepEqual(toAuditResponse('CreateGrant', { GrantId: 'g1', GrantToken: 'secret-token' }, { keyArn }), { grantId: 'g1', keyId: keyArn });
  });

  void test('apiCallEvent builds a CloudTrail record; failures carry errorCode and no response', () => {
    const event = apiCallEvent({ ...FACTS, input: { KeyId: keyArn }, keyArns: [keyArn], error: { code: 'AccessDeniedException', message: 'denied' } });
    assert.equal(event.eventTime, '2025-05-20T20:46:16Z');
    assert.equal(event.eventSource, 'kms.amazonaws.com');
    assert.equal(event.readOnly, true);
    assert.equal(event.errorCode, 'AccessDeniedException');
    assert.equal(event.responseElements, null);
    assert.deepEqual(event.resources, [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: keyArn }]);
    assert.equal(event.eventType, 'AwsApiCall');
    assert.equal(event.eventCategory, 'Management');
  });

  void test('serviceEvent records background rotation as AWS does', () => {
    const event = serviceEvent({ eventName: 'RotateKey', keyArn, accountId: '111122223333', region: 'us-west-2', time: 0, eventId: 'e', serviceEventDetails: { rotationType: 'AUTOMATIC', keyId: 'k' } });
    assert.equal(event.eventType, 'AwsServiceEvent');
    assert.deepEqual(event.userIdentity, { accountId: '111122223333', invokedBy: 'AWS Internal' });
    assert.equal(event.sourceIPAddress, 'AWS Internal');
  });
});
