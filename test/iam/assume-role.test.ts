import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createAccount } from '../../src/service/identities/accounts.js';
import { PolicyCache } from '../../src/auth/policy/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { allowPolicy, clientsFor, failureOf, type Credentials } from './iam-client.js';

function trustPolicy(principal: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
}

describe('IAM roles and STS AssumeRole', () => {
  let server: TestServer;
  let admin: ReturnType<typeof clientsFor>;
  const opened: Array<{ close(): void }> = [];
  const as = (credentials: Credentials) => {
    const clients = clientsFor(server, credentials);
    opened.push(clients);
    return clients;
  };
  async function userWithKey(name: string, policy?: string): Promise<ReturnType<typeof clientsFor>> {
    await admin.iam.send(new CreateUserCommand({ UserName: name }));
    if (policy !== undefined) await admin.iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }));
    const key = (await admin.iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
    return as({ accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' });
  }
  const arnOf = (kind: 'user' | 'role' | 'root', name = '') =>
    kind === 'root' ? `arn:aws:iam::${server.accountId}:root` : `arn:aws:iam::${server.accountId}:${kind}/${name}`;

  before(async () => {
    server = await startTestServer();
    admin = clientsFor(server);
  });
  after(async () => {
    for (const clients of opened) clients.close();
    admin.close();
    await server.stop();
  });

  test('CreateRole and GetRole return the role with its trust policy URL-encoded; duplicates are refused', async () => {
    const document = trustPolicy(arnOf('root'));
    const created = await admin.iam.send(
      new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: document, Description: 'reads', MaxSessionDuration: 7200 }),
    );
    assert.equal(created.Role?.Arn, arnOf('role', 'reader'));
    assert.match(created.Role?.RoleId ?? '', /^AROA[A-Z2-7]{17}$/);
    const got = await admin.iam.send(new GetRoleCommand({ RoleName: 'reader' }));
    assert.equal(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? ''), document);
    assert.equal(got.Role?.MaxSessionDuration, 7200);
    assert.equal(got.Role?.Description, 'reads');
    const duplicate = await failureOf(admin.iam.send(new CreateRoleCommand({ RoleName: 'READER', AssumeRolePolicyDocument: document })));
    assert.equal(duplicate.name, 'EntityAlreadyExistsException');
    const malformed = await failureOf(
      admin.iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: allowPolicy('sts:AssumeRole') })),
    );
    assert.equal(malformed.name, 'MalformedPolicyDocumentException');
  });

  test('a trust policy naming a user lets it assume the role; the session is the assumed role', async () => {
    const ivan = await userWithKey('ivan');
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: trustPolicy(arnOf('user', 'ivan')) }));
    const before = Date.now();
    const { Credentials: credentials, AssumedRoleUser } = await ivan.sts.send(
      new AssumeRoleCommand({ RoleArn: arnOf('role', 'deployer'), RoleSessionName: 'ci-42', DurationSeconds: 900 }),
    );
    assert.match(credentials?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
    assert.ok((credentials?.SessionToken?.length ?? 0) >= 100);
    const expiresIn = (credentials?.Expiration?.getTime() ?? 0) - before;
    assert.ok(expiresIn > 895_000 && expiresIn <= 901_000, `expires in ${expiresIn} ms`);
    assert.equal(AssumedRoleUser?.Arn, `arn:aws:sts::${server.accountId}:assumed-role/deployer/ci-42`);
    const session = as({
      accessKeyId: credentials?.AccessKeyId ?? '',
      secretAccessKey: credentials?.SecretAccessKey ?? '',
      sessionToken: credentials?.SessionToken ?? '',
    });
    const identity = await session.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, AssumedRoleUser?.Arn);
    assert.equal(identity.UserId, AssumedRoleUser?.AssumedRoleId);
    assert.match(identity.UserId ?? '', /^AROA[A-Z2-7]{17}:ci-42$/);

    // The session has the role's identity policies, and loses them with the role.
    assert.equal((await failureOf(session.iam.send(new ListUsersCommand({})))).name, 'AccessDenied');
    await admin.iam.send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'list', PolicyDocument: allowPolicy('iam:ListUsers') }));
    await session.iam.send(new ListUsersCommand({}));
    const conflict = await failureOf(admin.iam.send(new DeleteRoleCommand({ RoleName: 'deployer' })));
    assert.equal(conflict.name, 'DeleteConflictException');
    await admin.iam.send(new DeleteRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'list' }));
    await admin.iam.send(new DeleteRoleCommand({ RoleName: 'deployer' }));
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: trustPolicy(arnOf('user', 'ivan')) }));
    await admin.iam.send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'list', PolicyDocument: allowPolicy('iam:ListUsers') }));
    assert.equal((await failureOf(session.iam.send(new ListUsersCommand({})))).name, 'AccessDenied', 'a re-created role is another role');

    const withoutToken = as({ accessKeyId: credentials?.AccessKeyId ?? '', secretAccessKey: credentials?.SecretAccessKey ?? '' });
    assert.equal((await failureOf(withoutToken.sts.send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
  });

  test('UpdateAssumeRolePolicy changes who may assume the role from the next AssumeRole on; it validates as CreateRole does', async () => {
    const olga = await userWithKey('olga');
    const pete = await userWithKey('pete');
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'rotating', AssumeRolePolicyDocument: trustPolicy(arnOf('user', 'olga')) }));
    const assume = (clients: ReturnType<typeof clientsFor>) =>
      clients.sts.send(new AssumeRoleCommand({ RoleArn: arnOf('role', 'rotating'), RoleSessionName: 'try' }));
    await assume(olga);
    assert.equal((await failureOf(assume(pete))).name, 'AccessDenied');

    const document = trustPolicy(arnOf('user', 'pete'));
    await admin.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'ROTATING', PolicyDocument: document })); // names match in any case
    assert.equal(decodeURIComponent((await admin.iam.send(new GetRoleCommand({ RoleName: 'rotating' }))).Role?.AssumeRolePolicyDocument ?? ''), document);
    await assume(pete);
    assert.equal((await failureOf(assume(olga))).name, 'AccessDenied');

    const malformed = await failureOf(admin.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'rotating', PolicyDocument: allowPolicy('sts:AssumeRole') })));
    assert.deepEqual([malformed.name, malformed.status], ['MalformedPolicyDocumentException', 400]);
    const missing = await failureOf(admin.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'no-such-role', PolicyDocument: document })));
    assert.deepEqual([missing.name, missing.status, missing.message], ['NoSuchEntityException', 404, 'The role with name no-such-role cannot be found.']);
    const denied = await failureOf(pete.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'rotating', PolicyDocument: trustPolicy(arnOf('user', 'olga')) })));
    assert.deepEqual([denied.name, denied.status], ['AccessDenied', 403]);
    await assume(pete); // the refused update changed nothing
  });

  test('a trust policy naming the account delegates: the caller also needs an identity policy allowing sts:AssumeRole', async () => {
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'delegated', AssumeRolePolicyDocument: trustPolicy(arnOf('root')) }));
    const request = new AssumeRoleCommand({ RoleArn: arnOf('role', 'delegated'), RoleSessionName: 'judy' });
    const judy = await userWithKey('judy');
    const denied = await failureOf(judy.sts.send(request));
    assert.deepEqual([denied.name, denied.status], ['AccessDenied', 403]);
    assert.equal(denied.message, `User: ${arnOf('user', 'judy')} is not authorized to perform: sts:AssumeRole on resource: ${arnOf('role', 'delegated')}`);
    const ken = await userWithKey('ken', allowPolicy('sts:AssumeRole'));
    assert.ok((await ken.sts.send(request)).Credentials?.AccessKeyId);
  });

  test('the same denial for a role that does not exist; root may not assume roles; durations are bounded', async () => {
    const mallory = await userWithKey('mallory', allowPolicy('sts:AssumeRole'));
    const missing = await failureOf(mallory.sts.send(new AssumeRoleCommand({ RoleArn: arnOf('role', 'ghost'), RoleSessionName: 'x1' })));
    assert.equal(missing.message, `User: ${arnOf('user', 'mallory')} is not authorized to perform: sts:AssumeRole on resource: ${arnOf('role', 'ghost')}`);
    const root = await failureOf(admin.sts.send(new AssumeRoleCommand({ RoleArn: arnOf('role', 'reader'), RoleSessionName: 'root' })));
    assert.deepEqual([root.name, root.message], ['AccessDenied', 'Roles may not be assumed by root accounts.']);
    const request = (DurationSeconds: number) => new AssumeRoleCommand({ RoleArn: arnOf('role', 'delegated'), RoleSessionName: 'long', DurationSeconds });
    const tooLong = await failureOf(mallory.sts.send(request(7200)));
    assert.deepEqual([tooLong.name, tooLong.message], ['ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.']);
    assert.equal((await failureOf(mallory.sts.send(request(899)))).name, 'ValidationError');
    const policy = await failureOf(
      mallory.sts.send(new AssumeRoleCommand({ RoleArn: arnOf('role', 'delegated'), RoleSessionName: 'p1', Policy: allowPolicy('kms:*') })),
    );
    assert.equal(policy.name, 'ValidationError');
  });

  test('a caller of another account needs both the trust policy and its own identity policy', async () => {
    const context = { identities: server.node.store.identities, rootKey: server.node.rootKey, now: Date.now, policies: new PolicyCache() };
    const other = await createAccount(context);
    const otherRoot = as({ accessKeyId: other.rootAccessKey.record.accessKeyId, secretAccessKey: other.rootAccessKey.secret.expose().toString('utf8') });
    assert.equal((await otherRoot.sts.send(new GetCallerIdentityCommand({}))).Account, other.account.id);
    await otherRoot.iam.send(new CreateUserCommand({ UserName: 'visitor' }));
    const key = (await otherRoot.iam.send(new CreateAccessKeyCommand({ UserName: 'visitor' }))).AccessKey;
    const visitor = as({ accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' });
    const visitorArn = `arn:aws:iam::${other.account.id}:user/visitor`;
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'partner', AssumeRolePolicyDocument: trustPolicy(visitorArn) }));
    const request = new AssumeRoleCommand({ RoleArn: arnOf('role', 'partner'), RoleSessionName: 'visit' });
    assert.equal((await failureOf(visitor.sts.send(request))).name, 'AccessDenied');
    await otherRoot.iam.send(new PutUserPolicyCommand({ UserName: 'visitor', PolicyName: 'assume', PolicyDocument: allowPolicy('sts:AssumeRole') }));
    const { AssumedRoleUser } = await visitor.sts.send(request);
    assert.equal(AssumedRoleUser?.Arn, `arn:aws:sts::${server.accountId}:assumed-role/partner/visit`);
    // Each account manages only its own identities.
    assert.equal((await failureOf(otherRoot.iam.send(new GetRoleCommand({ RoleName: 'partner' })))).name, 'NoSuchEntityException');
  });
});
