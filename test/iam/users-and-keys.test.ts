import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../support/server.js';
import { allowPolicy, clientsFor, failureOf } from './iam-client.js';

describe('IAM users, access keys and user policies over the query API', () => {
  let server: TestServer;
  let admin: ReturnType<typeof clientsFor>;
  before(async () => {
    server = await startTestServer();
    admin = clientsFor(server);
  });
  after(async () => {
    admin.close();
    await server.stop();
  });

  test('CreateUser returns the user; GetUser and ListUsers find it; a duplicate name in any case is EntityAlreadyExists', async () => {
    const { User } = await admin.iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/engineering/' }));
    assert.equal(User?.Arn, `arn:aws:iam::${server.accountId}:user/engineering/alice`);
    assert.match(User?.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
    assert.ok(User?.CreateDate instanceof Date);
    const got = await admin.iam.send(new GetUserCommand({ UserName: 'alice' }));
    assert.deepEqual(got.User, User);
    const listed = await admin.iam.send(new ListUsersCommand({ PathPrefix: '/engineering' }));
    assert.deepEqual(listed.Users?.map((user) => user.UserName), ['alice']);
    assert.equal(listed.IsTruncated, false);
    const duplicate = await failureOf(admin.iam.send(new CreateUserCommand({ UserName: 'ALICE' })));
    assert.deepEqual([duplicate.name, duplicate.status, duplicate.message], ['EntityAlreadyExistsException', 409, 'User with name ALICE already exists.']);
  });

  test('unknown users are NoSuchEntity (404); invalid names are ValidationError', async () => {
    const missing = await failureOf(admin.iam.send(new GetUserCommand({ UserName: 'nobody' })));
    assert.deepEqual([missing.name, missing.status, missing.message], ['NoSuchEntityException', 404, 'The user with name nobody cannot be found.']);
    const invalid = await failureOf(admin.iam.send(new CreateUserCommand({ UserName: 'has space' })));
    assert.equal(invalid.name, 'ValidationError');
    assert.match(invalid.message, /at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });

  test('ListUsers pages with MaxItems and Marker', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) {
      await admin.iam.send(new CreateUserCommand({ UserName: name, Path: '/paging/' }));
    }
    const first = await admin.iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2 }));
    assert.deepEqual(first.Users?.map((user) => user.UserName), ['page-a', 'page-b']);
    assert.equal(first.IsTruncated, true);
    const second = await admin.iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2, Marker: first.Marker }));
    assert.deepEqual(second.Users?.map((user) => user.UserName), ['page-c']);
    assert.equal(second.IsTruncated, false);
  });

  test("a user's access key authenticates as that user; with no policy it may do nothing, with one it may", async () => {
    await admin.iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    assert.match(AccessKey?.AccessKeyId ?? '', /^AKIA[A-Z2-7]{16}$/);
    assert.equal(AccessKey?.SecretAccessKey?.length, 40);
    assert.equal(AccessKey?.Status, 'Active');
    const bob = clientsFor(server, { accessKeyId: AccessKey?.AccessKeyId ?? '', secretAccessKey: AccessKey?.SecretAccessKey ?? '' });
    try {
      const identity = await bob.sts.send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Arn, `arn:aws:iam::${server.accountId}:user/bob`);
      assert.match(identity.UserId ?? '', /^AIDA/);
      const denied = await failureOf(bob.iam.send(new CreateUserCommand({ UserName: 'mallory' })));
      assert.deepEqual([denied.name, denied.status], ['AccessDenied', 403]);
      assert.equal(
        denied.message,
        `User: arn:aws:iam::${server.accountId}:user/bob is not authorized to perform: iam:CreateUser on resource: ` +
          `arn:aws:iam::${server.accountId}:user/mallory because no identity-based policy allows the iam:CreateUser action`,
      );
      await admin.iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'manage-users', PolicyDocument: allowPolicy('iam:CreateUser', 'iam:ListUsers', 'kms:ListKeys') }));
      await bob.iam.send(new CreateUserCommand({ UserName: 'carol' }));
      assert.ok((await bob.iam.send(new ListUsersCommand({}))).Users?.some((user) => user.UserName === 'carol'));
      const self = await bob.iam.send(new ListAccessKeysCommand({})).catch((error: Error) => error);
      assert.equal((self as Error).name, 'AccessDenied');
      await bob.kms.send(new ListKeysCommand({}));
    } finally {
      bob.close();
    }
  });

  test('a deleted access key stops working at once (InvalidClientTokenId); at most two keys per user', async () => {
    await admin.iam.send(new CreateUserCommand({ UserName: 'dave' }));
    const first = (await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'dave' }))).AccessKey;
    await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'dave' }));
    const third = await failureOf(admin.iam.send(new CreateAccessKeyCommand({ UserName: 'dave' })));
    assert.deepEqual([third.name, third.status], ['LimitExceededException', 409]);
    const listed = await admin.iam.send(new ListAccessKeysCommand({ UserName: 'dave' }));
    assert.equal(listed.AccessKeyMetadata?.length, 2);
    assert.ok(listed.AccessKeyMetadata?.every((key) => key.UserName === 'dave' && key.Status === 'Active'));
    assert.equal(JSON.stringify(listed).includes(first?.SecretAccessKey ?? '-'), false);
    const dave = clientsFor(server, { accessKeyId: first?.AccessKeyId ?? '', secretAccessKey: first?.SecretAccessKey ?? '' });
    try {
      await dave.sts.send(new GetCallerIdentityCommand({}));
      await admin.iam.send(new DeleteAccessKeyCommand({ UserName: 'dave', AccessKeyId: first?.AccessKeyId }));
      const revoked = await failureOf(dave.sts.send(new GetCallerIdentityCommand({})));
      assert.deepEqual([revoked.name, revoked.status], ['InvalidClientTokenId', 403]);
      const again = await failureOf(admin.iam.send(new DeleteAccessKeyCommand({ UserName: 'dave', AccessKeyId: first?.AccessKeyId })));
      assert.equal(again.name, 'NoSuchEntityException');
    } finally {
      dave.close();
    }
  });

  test('UpdateAccessKey: an inactive key authenticates nothing until it is active again; the secret is unchanged', async () => {
    await admin.iam.send(new CreateUserCommand({ UserName: 'ivan' }));
    await admin.iam.send(new PutUserPolicyCommand({ UserName: 'ivan', PolicyName: 'kms', PolicyDocument: allowPolicy('kms:ListKeys') }));
    const key = (await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'ivan' }))).AccessKey!;
    const ivan = clientsFor(server, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    const status = async () => (await admin.iam.send(new ListAccessKeysCommand({ UserName: 'ivan' }))).AccessKeyMetadata?.[0]?.Status;
    try {
      await ivan.kms.send(new ListKeysCommand({}));
      await admin.iam.send(new UpdateAccessKeyCommand({ UserName: 'ivan', AccessKeyId: key.AccessKeyId, Status: 'Inactive' }));
      assert.equal(await status(), 'Inactive');
      // Refused as an unknown key is, by each protocol's name for it.
      const kms = await failureOf(ivan.kms.send(new ListKeysCommand({})));
      assert.deepEqual([kms.name, kms.status], ['UnrecognizedClientException', 400]);
      const sts = await failureOf(ivan.sts.send(new GetCallerIdentityCommand({})));
      assert.deepEqual([sts.name, sts.status], ['InvalidClientTokenId', 403]);

      await admin.iam.send(new UpdateAccessKeyCommand({ UserName: 'ivan', AccessKeyId: key.AccessKeyId, Status: 'Active' }));
      assert.equal(await status(), 'Active');
      await ivan.kms.send(new ListKeysCommand({}));
      assert.equal((await ivan.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${server.accountId}:user/ivan`);
    } finally {
      ivan.close();
    }
  });

  test("UpdateAccessKey refuses a bad status, another user's key and an unknown one; it needs iam:UpdateAccessKey", async () => {
    await admin.iam.send(new CreateUserCommand({ UserName: 'judy' }));
    await admin.iam.send(new CreateUserCommand({ UserName: 'ken' }));
    const judys = (await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'judy' }))).AccessKey!;
    const bad = await failureOf(admin.iam.send(new UpdateAccessKeyCommand({ UserName: 'judy', AccessKeyId: judys.AccessKeyId, Status: 'Paused' as never })));
    assert.deepEqual([bad.name, bad.status, bad.message], ['ValidationError', 400,
      "1 validation error detected: Value 'Paused' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]"]);
    const elsewhere = await failureOf(admin.iam.send(new UpdateAccessKeyCommand({ UserName: 'ken', AccessKeyId: judys.AccessKeyId, Status: 'Inactive' })));
    assert.deepEqual([elsewhere.name, elsewhere.status, elsewhere.message],
      ['NoSuchEntityException', 404, `The Access Key with id ${judys.AccessKeyId} cannot be found.`]);
    const unknown = await failureOf(admin.iam.send(new UpdateAccessKeyCommand({ UserName: 'judy', AccessKeyId: 'AKIAUNKNOWNUNKNOWN00', Status: 'Inactive' })));
    assert.equal(unknown.name, 'NoSuchEntityException');
    // Judy may not deactivate her own key without the permission (no policy at all), and may with it.
    const judy = clientsFor(server, { accessKeyId: judys.AccessKeyId!, secretAccessKey: judys.SecretAccessKey! });
    try {
      const denied = await failureOf(judy.iam.send(new UpdateAccessKeyCommand({ AccessKeyId: judys.AccessKeyId, Status: 'Inactive' })));
      assert.deepEqual([denied.name, denied.status], ['AccessDenied', 403]);
      await admin.iam.send(new PutUserPolicyCommand({ UserName: 'judy', PolicyName: 'own-keys', PolicyDocument: allowPolicy('iam:UpdateAccessKey') }));
      await judy.iam.send(new UpdateAccessKeyCommand({ AccessKeyId: judys.AccessKeyId, Status: 'Inactive' }));
      assert.equal((await failureOf(judy.sts.send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
    } finally {
      judy.close();
    }
  });

  test('user policies: put, get (URL-encoded as IAM returns it), list, delete; malformed ones are refused', async () => {
    await admin.iam.send(new CreateUserCommand({ UserName: 'erin' }));
    const document = allowPolicy('kms:Encrypt');
    await admin.iam.send(new PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'encrypt', PolicyDocument: document }));
    const got = await admin.iam.send(new GetUserPolicyCommand({ UserName: 'erin', PolicyName: 'encrypt' }));
    assert.equal(decodeURIComponent(got.PolicyDocument ?? ''), document);
    assert.deepEqual((await admin.iam.send(new ListUserPoliciesCommand({ UserName: 'erin' }))).PolicyNames, ['encrypt']);
    const malformed = await failureOf(
      admin.iam.send(new PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'bad', PolicyDocument: '{"Statement":[{"Effect":"Allow"}]}' })),
    );
    assert.deepEqual([malformed.name, malformed.status], ['MalformedPolicyDocumentException', 400]);
    const tooLarge = await failureOf(
      admin.iam.send(new PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'big', PolicyDocument: allowPolicy(...Array.from({ length: 200 }, (_, i) => `kms:Action${i}`)) })),
    );
    assert.deepEqual([tooLarge.name, tooLarge.status], ['LimitExceededException', 409]);
    const conflict = await failureOf(admin.iam.send(new DeleteUserCommand({ UserName: 'erin' })));
    assert.deepEqual([conflict.name, conflict.status, conflict.message], ['DeleteConflictException', 409, 'Cannot delete entity, must delete policies first.']);
    await admin.iam.send(new DeleteUserPolicyCommand({ UserName: 'erin', PolicyName: 'encrypt' }));
    const gone = await failureOf(admin.iam.send(new GetUserPolicyCommand({ UserName: 'erin', PolicyName: 'encrypt' })));
    assert.equal(gone.message, 'The user policy with name encrypt cannot be found.');
    await admin.iam.send(new DeleteUserCommand({ UserName: 'erin' }));
    assert.equal((await failureOf(admin.iam.send(new GetUserCommand({ UserName: 'erin' })))).name, 'NoSuchEntityException');
  });

  test('a user with access keys cannot be deleted until they are', async () => {
    await admin.iam.send(new CreateUserCommand({ UserName: 'frank' }));
    const key = (await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'frank' }))).AccessKey;
    const conflict = await failureOf(admin.iam.send(new DeleteUserCommand({ UserName: 'frank' })));
    assert.equal(conflict.message, 'Cannot delete entity, must delete access keys first.');
    await admin.iam.send(new DeleteAccessKeyCommand({ UserName: 'frank', AccessKeyId: key?.AccessKeyId }));
    await admin.iam.send(new DeleteUserCommand({ UserName: 'frank' }));
  });

  test('an explicit Deny in an identity policy wins over an Allow', async () => {
    await admin.iam.send(new CreateUserCommand({ UserName: 'grace' }));
    const key = (await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'grace' }))).AccessKey;
    await admin.iam.send(new PutUserPolicyCommand({ UserName: 'grace', PolicyName: 'all', PolicyDocument: allowPolicy('iam:*') }));
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }] });
    await admin.iam.send(new PutUserPolicyCommand({ UserName: 'grace', PolicyName: 'no-delete', PolicyDocument: deny }));
    const grace = clientsFor(server, { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' });
    try {
      await grace.iam.send(new CreateUserCommand({ UserName: 'heidi' }));
      const denied = await failureOf(grace.iam.send(new DeleteUserCommand({ UserName: 'heidi' })));
      assert.equal(denied.name, 'AccessDenied');
      assert.match(denied.message, /with an explicit deny in an identity-based policy$/);
    } finally {
      grace.close();
    }
  });

  test('the secret access key appears in no log line', () => {
    assert.equal(server.logs.some((line) => /[A-Za-z0-9+/]{40}/.test(line) && line.includes('SecretAccessKey')), false);
  });
});
