import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../support/server.js';
import { createRoleSession, type TestCredentials } from '../authz/principals.js';
import { callAdmin } from './admin-client.js';

describe('admin API: ExplainAuthorization', () => {
  let server: TestServer;
  let keyArn: string;
  let sessionArn: string;
  let session: TestCredentials;
  before(async () => {
    server = await startTestServer();
    const role = await createRoleSession(server, server.accountId, 'tenant-app');
    sessionArn = role.sessionArn;
    session = role.credentials;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${server.accountId}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'TenantA', Effect: 'Allow', Principal: { AWS: role.roleArn }, Action: 'kms:Decrypt', Resource: '*',
          Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'a' } } },
        { Sid: 'NotFromTheLab', Effect: 'Deny', Principal: { AWS: role.roleArn }, Action: 'kms:*', Resource: '*',
          Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      ],
    });
    keyArn = (await server.kms().send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!.Arn!;
  });
  after(async () => server.stop());

  const explain = (extra: Record<string, unknown>) =>
    callAdmin(server, 'ExplainAuthorization', { PrincipalArn: sessionArn, Action: 'kms:Decrypt', KeyId: keyArn, ...extra });

  test('names the key policy statement that allowed a request', async () => {
    const answer = await explain({ EncryptionContext: { tenant: 'a' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.body['Effect'], 'Allow');
    assert.equal(answer.body['Reason'], 'key-policy');
    assert.equal(answer.body['PrincipalArn'], sessionArn);
    assert.equal(answer.body['Resource'], keyArn);
    assert.deepEqual(answer.body['Matched'], [
      { Source: 'key-policy', Effect: 'Allow', Sid: 'Enable IAM User Permissions', StatementIndex: 0, DelegatedToAccount: true },
      { Source: 'key-policy', Effect: 'Allow', Sid: 'TenantA', StatementIndex: 1 },
    ]);
    assert.equal(answer.body['DeniedMessage'], undefined);
  });

  test('names the Deny statement that applied from the source address asked about', async () => {
    const answer = await explain({ EncryptionContext: { tenant: 'a' }, SourceIp: '10.1.2.3' });
    assert.equal(answer.body['Effect'], 'ExplicitDeny');
    const matched = answer.body['Matched'] as Array<Record<string, unknown>>;
    assert.ok(matched.some((evidence) => evidence['Sid'] === 'NotFromTheLab' && evidence['Effect'] === 'Deny' && evidence['StatementIndex'] === 2));
    assert.match(String(answer.body['DeniedMessage']), /with an explicit deny in a resource-based policy$/);
  });

  test('explains an implicit denial, and the KMS caller gets only the AWS message, naming no statement', async () => {
    const answer = await explain({ EncryptionContext: { tenant: 'b' } });
    assert.equal(answer.body['Effect'], 'ImplicitDeny');
    const matched = answer.body['Matched'] as Array<Record<string, unknown>>;
    assert.deepEqual(matched[0], { Source: 'key-policy', Effect: 'Allow', Sid: 'Enable IAM User Permissions', StatementIndex: 0, DelegatedToAccount: true });

    const { CiphertextBlob } = await server.kms().send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x'), EncryptionContext: { tenant: 'b' } }));
    const denied = await server.kms('us-east-1', session)
      .send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { tenant: 'b' } }))
      .then(() => undefined, (error: Error) => error);
    assert.equal(denied?.name, 'AccessDeniedException');
    assert.equal(denied?.message, answer.body['DeniedMessage']);
    for (const explanation of ['TenantA', 'Enable IAM User Permissions', 'statement', 'Sid']) {
      assert.equal(denied?.message.includes(explanation), false, `the caller's message names ${explanation}`);
    }
  });

  test('a role ARN is asked as a session of the role; an action on no key needs no KeyId', async () => {
    const roleArn = sessionArn.replace(/^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/.*$/, 'arn:aws:iam::$1:role/$2');
    const answer = await callAdmin(server, 'ExplainAuthorization', { PrincipalArn: roleArn, Action: 'kms:CreateKey' });
    assert.equal(answer.status, 200);
    assert.equal(answer.body['Effect'], 'ImplicitDeny');
    assert.equal(answer.body['Reason'], 'identity-policy');
    assert.equal(answer.body['Resource'], '*');
    assert.match(String(answer.body['PrincipalArn']), /:assumed-role\/tenant-app\/strongroom-authz-explain$/);
  });
});
