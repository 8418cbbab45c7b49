import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { callAdmin, type AdminAnswer } from './admin-client.js';

describe('admin API: malformed input gets clean AWS errors', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  function assertError(answer: AdminAnswer, type: string, message?: string | RegExp): void {
    assert.equal(answer.status, 400);
    assert.equal(answer.errorType, type);
    if (typeof message === 'string') assert.equal(answer.body['message'], message);
    else if (message !== undefined) assert.match(String(answer.body['message']), message);
  }

  test('a body that is not JSON, or not a JSON object, is SerializationException', async () => {
    assertError(await callAdmin(server, 'ListAccounts', undefined, { rawBody: '{"AccountId":' }), 'SerializationException');
    assertError(await callAdmin(server, 'CreateAccount', ['123456789012']), 'SerializationException');
  });

  test('a member of the wrong JSON type is SerializationException naming the member', async () => {
    assertError(await callAdmin(server, 'CreateAccount', { AccountId: 123456789012 }), 'SerializationException', "Expected a string at 'accountId'");
    assertError(
      await callAdmin(server, 'ExplainAuthorization', { PrincipalArn: 'arn:aws:iam::123456789012:root', Action: 'kms:Decrypt', EncryptionContext: { tenant: 1 } }),
      'SerializationException',
      "Expected a JSON object of strings at 'encryptionContext'",
    );
  });

  test('missing required members are reported together as one ValidationException', async () => {
    assertError(
      await callAdmin(server, 'ExplainAuthorization', { PrincipalArn: null }),
      'ValidationException',
      "2 validation errors detected: Value null at 'principalArn' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'action' failed to satisfy constraint: Member must not be null",
    );
  });

  test('values that break their constraints are ValidationException', async () => {
    assertError(
      await callAdmin(server, 'CreateAccount', { AccountId: '12345' }),
      'ValidationException',
      "1 validation error detected: Value '12345' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\d{12}$",
    );
    const root = `arn:aws:iam::${server.accountId}:root`;
    assertError(await callAdmin(server, 'ExplainAuthorization', { PrincipalArn: root, Action: 'Decrypt' }), 'ValidationException', /at 'action'/);
    assertError(
      await callAdmin(server, 'ExplainAuthorization', { PrincipalArn: root, Action: 'kms:Decrypt', SourceIp: 'localhost' }),
      'ValidationException',
      "1 validation error detected: Value 'localhost' at 'sourceIp' failed to satisfy constraint: Member must be an IPv4 or IPv6 address",
    );
    assertError(await callAdmin(server, 'ExplainAuthorization', { PrincipalArn: 'x'.repeat(5000), Action: 'kms:Decrypt' }), 'ValidationException', /at 'principalArn'.*length less than or equal to 2048/);
  });

  test('ARNs of the wrong form are ValidationException; unknown principals and keys NotFoundException', async () => {
    const root = `arn:aws:iam::${server.accountId}:root`;
    assertError(await callAdmin(server, 'ExplainAuthorization', { PrincipalArn: 'bob', Action: 'kms:Decrypt' }), 'ValidationException', /bob/);
    assertError(await callAdmin(server, 'ExplainAuthorization', { PrincipalArn: root, Action: 'kms:Decrypt', KeyId: 'alias/app' }), 'ValidationException', /key ARN/);
    assertError(
      await callAdmin(server, 'ExplainAuthorization', { PrincipalArn: `arn:aws:iam::${server.accountId}:user/nobody`, Action: 'kms:Decrypt' }),
      'NotFoundException',
    );
    const missingKey = `arn:aws:kms:us-east-1:${server.accountId}:key/00000000-0000-0000-0000-000000000000`;
    assertError(await callAdmin(server, 'ExplainAuthorization', { PrincipalArn: root, Action: 'kms:Decrypt', KeyId: missingKey }), 'NotFoundException');
  });
});
