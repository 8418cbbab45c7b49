import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CreateRoleCommand, CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { callAdmin } from '../admin/admin-client.js';
import { createAccount } from '../authz/principals.js';
import { startTestServer } from '../support/server.js';
import { clientsFor, failureOf } from './iam-client.js';

const TRUST_ACCOUNT = (accountId: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }],
  });

describe('temporary credentials expire', () => {
  test('after DurationSeconds a session is refused with ExpiredTokenException', async () => {
    let offsetMs = 0;
    const server = await startTestServer({ devAccountId: '000000000000', now: () => Date.now() + offsetMs });
    const dev = clientsFor(server, { accessKeyId: 'test', secretAccessKey: 'test' });
    try {
      await dev.iam.send(new CreateRoleCommand({ RoleName: 'short', AssumeRolePolicyDocument: TRUST_ACCOUNT('000000000000') }));
      const { Credentials: credentials } = await dev.sts.send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/short', RoleSessionName: 'brief', DurationSeconds: 900 }),
      );
      const session = {
        accessKeyId: credentials?.AccessKeyId ?? '',
        secretAccessKey: credentials?.SecretAccessKey ?? '',
        sessionToken: credentials?.SessionToken ?? '',
      };
      const fresh = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: session, maxAttempts: 1 });
      assert.equal((await fresh.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:sts::000000000000:assumed-role/short/brief');
      fresh.destroy();
      offsetMs = 901_000;
      // The client's clock moves with the server's, so the signature stays inside the skew window.
      const later = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: session, maxAttempts: 1, systemClockOffset: offsetMs });
      const expired = await failureOf(later.send(new GetCallerIdentityCommand({})));
      later.destroy();
      assert.equal(expired.name, 'ExpiredTokenException');
    } finally {
      dev.close();
      await server.stop();
    }
  });
});

describe('development mode', () => {
  test('a 12-digit access key id with the secret test is the root of that account; test/test stays the dev root', async () => {
    const server = await startTestServer({ devAccountId: '000000000000' });
    const other = clientsFor(server, { accessKeyId: '123456789012', secretAccessKey: 'test' });
    const dev = clientsFor(server, { accessKeyId: 'test', secretAccessKey: 'test' });
    const wrong = clientsFor(server, { accessKeyId: '123456789012', secretAccessKey: 'nope' });
    try {
      const identity = await other.sts.send(new GetCallerIdentityCommand({}));
      assert.deepEqual([identity.Account, identity.Arn, identity.UserId], ['123456789012', 'arn:aws:iam::123456789012:root', '123456789012']);
      assert.equal((await dev.sts.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
      assert.equal((await failureOf(wrong.sts.send(new GetCallerIdentityCommand({})))).name, 'SignatureDoesNotMatch');
      await other.iam.send(new CreateUserCommand({ UserName: 'only-here' }));
      assert.deepEqual((await other.iam.send(new ListUsersCommand({}))).Users?.map((user) => user.UserName), ['only-here']);
      assert.deepEqual((await dev.iam.send(new ListUsersCommand({}))).Users, []);
    } finally {
      for (const clients of [other, dev, wrong]) clients.close();
      await server.stop();
    }
  });

  test('the development shortcuts never reach the administrator\'s account or an account created with real credentials', async () => {
    const server = await startTestServer({ devAccountId: '000000000000' });
    const devRoot = { accessKeyId: 'test', secretAccessKey: 'test' };
    const dev = clientsFor(server, devRoot);
    const administrator = { accessKeyId: server.accountId, secretAccessKey: 'test' };
    const asAdministrator = clientsFor(server, administrator);
    await createAccount(server, '444455556666');
    const asCreated = clientsFor(server, { accessKeyId: '444455556666', secretAccessKey: 'test' });
    try {
      assert.equal((await failureOf(asAdministrator.sts.send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
      assert.equal((await failureOf(asAdministrator.kms.send(new ListKeysCommand({})))).name, 'UnrecognizedClientException');
      assert.equal((await callAdmin(server, 'ListAccounts', {}, { credentials: administrator })).errorType, 'UnrecognizedClientException');
      assert.equal((await failureOf(asCreated.sts.send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
      // The administrator's real credentials still work, and so does test/test for the development account.
      assert.equal((await callAdmin(server, 'ListAccounts')).status, 200);
      assert.equal((await dev.sts.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
      // Once an account of that id is created with real credentials, test/test no longer reaches it either.
      await createAccount(server, '000000000000');
      assert.equal((await failureOf(dev.sts.send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
    } finally {
      for (const clients of [dev, asAdministrator, asCreated]) clients.close();
      await server.stop();
    }
  });

  test('without development mode a 12-digit access key id is unknown', async () => {
    const server = await startTestServer();
    const clients = clientsFor(server, { accessKeyId: '123456789012', secretAccessKey: 'test' });
    try {
      assert.equal((await failureOf(clients.sts.send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
    } finally {
      clients.close();
      await server.stop();
    }
  });
});
