import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EnableKeyRotationCommand, EncryptCommand, PutKeyPolicyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { POLICY_LOCKOUT_MESSAGE } from '../../src/auth/policy/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { allowPolicy, createRoleSession, createUser } from './principals.js';

const text = (value: string) => new TextEncoder().encode(value);

describe('key policies and identity policies, enforced through the AWS SDK', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  test('an application role may decrypt only with its own tenant in the encryption context', async () => {
    const account = server.accountId;
    const app = await createRoleSession(server, account, 'tenant-a-app');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'Tenant A only', Effect: 'Allow', Principal: { AWS: app.roleArn }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*',
          Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'a' } },
        },
      ],
    });
    const { KeyMetadata } = await server.kms().send(new CreateKeyCommand({ Policy: policy }));
    const keyArn = KeyMetadata!.Arn!;
    const client = server.kms('us-east-1', { ...app.credentials });
    const encrypted = await client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('tenant a data'), EncryptionContext: { tenant: 'a' } }));
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { tenant: 'a' } }));
    assert.equal(new TextDecoder().decode(decrypted.Plaintext), 'tenant a data');

    const other = await server.kms().send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('tenant b data'), EncryptionContext: { tenant: 'b' } }));
    await assert.rejects(client.send(new DecryptCommand({ CiphertextBlob: other.CiphertextBlob, EncryptionContext: { tenant: 'b' } })), {
      name: 'AccessDeniedException',
      message: `User: ${app.sessionArn} is not authorized to perform: kms:Decrypt on resource: ${keyArn} because no identity-based policy allows the kms:Decrypt action`,
    });
    await assert.rejects(client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('x') })), { name: 'AccessDeniedException' });
    // The explanation (which statements applied) reaches the server log, never the caller.
    const denial = server.logs.map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry['event'] === 'authorization denied' && entry['principal'] === app.sessionArn);
    assert.equal(denial?.['action'], 'kms:Decrypt');
    assert.ok(!server.logs.some((line) => line.includes('tenant b data')));
  });

  test('a key administrator can manage the key but not use it', async () => {
    const account = server.accountId;
    const admin = await createUser(server, account, 'key-admin');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'Allow access for Key Administrators', Effect: 'Allow', Principal: { AWS: admin.arn },
          Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
            'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
          Resource: '*',
        },
      ],
    });
    const { KeyMetadata } = await server.kms().send(new CreateKeyCommand({ Policy: policy }));
    const keyArn = KeyMetadata!.Arn!;
    const client = server.kms('us-east-1', { ...admin.credentials });
    assert.equal((await client.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.Arn, keyArn);
    await client.send(new EnableKeyRotationCommand({ KeyId: keyArn }));
    await assert.rejects(client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: text('x') })), {
      name: 'AccessDeniedException',
      message: `User: ${admin.arn} is not authorized to perform: kms:Encrypt on resource: ${keyArn} because no identity-based policy allows the kms:Encrypt action`,
    });
  });

  test('an explicit Deny in an identity policy wins over the key policy', async () => {
    const user = await createUser(server, server.accountId, 'denied-user', {
      allow: allowPolicy('kms:*'),
      deny: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }] },
    });
    const { KeyMetadata } = await server.kms().send(new CreateKeyCommand({}));
    const client = server.kms('us-east-1', { ...user.credentials });
    const encrypted = await client.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId!, Plaintext: text('x') }));
    await assert.rejects(client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })), {
      name: 'AccessDeniedException',
      message: `User: ${user.arn} is not authorized to perform: kms:Decrypt on resource: ${KeyMetadata!.Arn} with an explicit deny in an identity-based policy`,
    });
  });

  test('actions on no key are decided by identity policies alone', async () => {
    const nobody = await createUser(server, server.accountId, 'no-policies');
    await assert.rejects(server.kms('us-east-1', { ...nobody.credentials }).send(new CreateKeyCommand({})), {
      name: 'AccessDeniedException',
      message: `User: ${nobody.arn} is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action`,
    });
    const lister = await createUser(server, server.accountId, 'lister', { list: allowPolicy('kms:ListKeys') });
    const keys = await server.kms('us-east-1', { ...lister.credentials }).send(new ListKeysCommand({}));
    assert.ok((keys.Keys ?? []).length > 0);
  });

  test('a policy that would lock the caller out is refused, unless the safety check is bypassed', async () => {
    const account = server.accountId;
    const other = await createUser(server, account, 'only-principal');
    const lockout = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: other.arn }, Action: 'kms:*', Resource: '*' }],
    });
    const kms = server.kms();
    await assert.rejects(kms.send(new CreateKeyCommand({ Policy: lockout })), { name: 'MalformedPolicyDocumentException', message: POLICY_LOCKOUT_MESSAGE });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await assert.rejects(kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId!, PolicyName: 'default', Policy: lockout })),
      { name: 'MalformedPolicyDocumentException', message: POLICY_LOCKOUT_MESSAGE });
    await kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId!, PolicyName: 'default', Policy: lockout, BypassPolicyLockoutSafetyCheck: true }));
    await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId! })), {
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${account}:root is not authorized to perform: kms:DescribeKey on resource: ${KeyMetadata!.Arn} because no resource-based policy allows the kms:DescribeKey action`,
    });
  });

  test('a key policy naming a user or role that does not exist is malformed', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${server.accountId}:root` }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${server.accountId}:user/ghost` }, Action: 'kms:Decrypt', Resource: '*' },
      ],
    });
    await assert.rejects(server.kms().send(new CreateKeyCommand({ Policy: policy })), {
      name: 'MalformedPolicyDocumentException',
      message: 'Policy contains a statement with one or more invalid principals.',
    });
  });
});
