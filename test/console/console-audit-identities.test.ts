import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetRolePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, DisableKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { KMS_OPERATIONS } from '../../src/api/operations/index.js';
import { validatePolicyDocument } from '../../src/service/identities/policy-documents.js';
import { auditEventRow } from '../../web/src/api/audit-events.js';
import { KMS_ACTIONS, KMS_EVENT_NAMES } from '../../web/src/api/iam-kms-actions.js';
import { policyDocumentProblem, readablePolicyDocument, trustPolicyTemplate } from '../../web/src/api/iam-policy-document.js';
import { clientsFor } from '../iam/iam-client.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The console's copies of server facts (the web package imports nothing from src/), kept in step here: the KMS
 * actions it suggests, the event names it offers, and its policy check, which must never refuse what the server
 * accepts.
 */
describe("the console's KMS action and event name lists", () => {
  test('suggest exactly the IAM actions the server authorizes', () => {
    const authorized = new Set<string>();
    for (const operation of KMS_OPERATIONS.values()) {
      const keyActions = [operation.key?.action, operation.key ? operation.destinationKey?.action : undefined].filter(
        (action): action is string => action !== undefined,
      );
      for (const action of keyActions.length > 0 ? keyActions : [operation.action]) authorized.add(action);
    }
    assert.deepEqual([...KMS_ACTIONS].sort(), [...authorized].sort());
  });

  test('offer the name of every KMS operation the trail records', () => {
    for (const name of KMS_OPERATIONS.keys()) assert.ok(KMS_EVENT_NAMES.includes(name), name);
  });
});

describe("the console's policy document check", () => {
  const statement = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' };
  const documents: ReadonlyArray<readonly [string, string]> = [
    ['not JSON', '{"Statement": ['],
    ['an array', '[]'],
    ['no statement', '{"Version":"2012-10-17"}'],
    ['an empty statement list', '{"Version":"2012-10-17","Statement":[]}'],
    ['a statement that is a string', '{"Statement":["Allow"]}'],
    ['a bad effect', JSON.stringify({ Statement: [{ ...statement, Effect: 'Permit' }] })],
    ['no action', JSON.stringify({ Statement: [{ Effect: 'Allow', Resource: '*' }] })],
    ['no resource', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'kms:*' }] })],
    ['a principal', JSON.stringify({ Statement: [{ ...statement, Principal: '*' }] })],
    ['a valid policy', JSON.stringify({ Version: '2012-10-17', Statement: [statement] })],
    ['a single statement object', JSON.stringify({ Version: '2012-10-17', Statement: statement })],
    ['NotAction and NotResource', JSON.stringify({ Statement: [{ Effect: 'Deny', NotAction: 'kms:Encrypt', NotResource: 'x' }] })],
  ];

  test('refuses only identity policies the server refuses too, and accepts the valid ones', () => {
    for (const [what, document] of documents) {
      const problem = policyDocumentProblem(document, 'identity');
      let serverAccepts = true;
      try {
        validatePolicyDocument(document, 'identity');
      } catch {
        serverAccepts = false;
      }
      if (problem !== undefined) assert.equal(serverAccepts, false, `${what}: the console refuses (${problem}) what the server accepts`);
      if (serverAccepts) assert.equal(problem, undefined, what);
    }
  });

  test('requires a principal in a trust policy, and accepts the template it offers', () => {
    const template = trustPolicyTemplate('111122223333');
    assert.equal(policyDocumentProblem(template, 'trust'), undefined);
    assert.doesNotThrow(() => validatePolicyDocument(template, 'trust'));
    assert.match(policyDocumentProblem(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }), 'trust') ?? '', /Principal/);
  });
});

describe('the console against a real server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ audit: true });
  });
  after(async () => server.stop());

  test("shows a LookupEvents event with its source IP, error code, key and whole record", async () => {
    const kms = server.kms();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyArn = KeyMetadata?.Arn ?? '';
    await kms.send(new DisableKeyCommand({ KeyId: keyArn }));
    await assert.rejects(kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('audit me') })), { name: 'DisabledException' });
    const cloudTrail = new CloudTrailClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: server.credentials, maxAttempts: 1 });
    try {
      const { Events } = await cloudTrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: keyArn }] }));
      const encrypt = (Events ?? []).map(auditEventRow).find((row) => row.eventName === 'Encrypt');
      assert.ok(encrypt, 'the refused Encrypt is in the trail');
      assert.equal(encrypt.errorCode, 'DisabledException');
      assert.equal(encrypt.sourceIp, '127.0.0.1');
      assert.deepEqual(encrypt.resources, [keyArn]);
      assert.equal(encrypt.readOnly, true);
      assert.ok(encrypt.time instanceof Date);
      assert.equal((JSON.parse(encrypt.detail) as { eventID: string }).eventID, encrypt.eventId);
    } finally {
      cloudTrail.destroy();
    }
  });

  test('reads back an inline policy as it was written, from the URL-encoded document IAM returns', async () => {
    const { iam, close } = clientsFor(server);
    try {
      await iam.send(new CreateRoleCommand({ RoleName: 'console-reader', AssumeRolePolicyDocument: trustPolicyTemplate(server.accountId) }));
      const policy = { Version: '2012-10-17', Statement: [{ Sid: 'Tenant A+B', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] };
      await iam.send(new PutRolePolicyCommand({ RoleName: 'console-reader', PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
      const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: 'console-reader', PolicyName: 'p' }));
      assert.deepEqual(JSON.parse(readablePolicyDocument(PolicyDocument ?? '')), policy);
    } finally {
      close();
    }
  });
});
