import { createHash, randomBytes } from 'node:crypto';
import { issueAccessKey } from '../../src/auth/access-keys.js';
import { accessKeyAad } from '../../src/auth/credential-resolver.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import type { TestServer } from '../support/server.js';

/** Credentials an SDK client signs with (a session token for role sessions). */
export interface TestCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

function uniqueId(prefix: string): string {
  return prefix + randomBytes(8).toString('hex').toUpperCase();
}

/** A second account on the same server, with its root user's credentials. */
export async function createAccount(server: TestServer, accountId: string): Promise<TestCredentials> {
  const { store, rootKey } = server.node;
  await store.identities.createAccount({ id: accountId, createdAt: Date.now() });
  const arn = `arn:aws:iam::${accountId}:root`;
  const { accessKeyId, secret } = await issueAccessKey(store.identities, rootKey,
    { accountId, principalArn: arn, principalType: 'Root', principalId: accountId }, Date.now());
  return { accessKeyId, secretAccessKey: secret.expose().toString('utf8') };
}

/** An IAM user with inline identity policies (by name), set up through the store, and its access key. */
export async function createUser(
  server: TestServer,
  accountId: string,
  userName: string,
  policies: Record<string, object> = {},
): Promise<{ arn: string; credentials: TestCredentials }> {
  const { store, rootKey } = server.node;
  const arn = `arn:aws:iam::${accountId}:user/${userName}`;
  const userId = uniqueId('AIDA');
  await store.identities.createUser({ accountId, userName, userId, arn, path: '/', createdAt: Date.now() });
  for (const [policyName, document] of Object.entries(policies)) {
    await store.identities.putPolicy({ principalArn: arn, policyName, document: JSON.stringify(document) });
  }
  const { accessKeyId, secret } = await issueAccessKey(store.identities, rootKey,
    { accountId, principalArn: arn, principalType: 'IAMUser', principalId: userId, userName }, Date.now());
  return { arn, credentials: { accessKeyId, secretAccessKey: secret.expose().toString('utf8') } };
}

/**
 * An IAM role with inline policies and temporary credentials for one session of it, as AssumeRole would
 * issue them (stored directly, so these tests do not depend on the STS API).
 */
export async function createRoleSession(
  server: TestServer,
  accountId: string,
  roleName: string,
  policies: Record<string, object> = {},
  sessionName = 'session-1',
): Promise<{ roleArn: string; sessionArn: string; credentials: TestCredentials }> {
  const { store, rootKey } = server.node;
  const roleArn = `arn:aws:iam::${accountId}:role/${roleName}`;
  const roleId = uniqueId('AROA');
  const trustPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }],
  });
  await store.identities.createRole({
    accountId, roleName, roleId, arn: roleArn, path: '/', trustPolicy, maxSessionDurationSeconds: 3600, createdAt: Date.now(),
  });
  for (const [policyName, document] of Object.entries(policies)) {
    await store.identities.putPolicy({ principalArn: roleArn, policyName, document: JSON.stringify(document) });
  }
  const sessionArn = `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
  const accessKeyId = uniqueId('ASIA');
  const secret = SecretBytes.adopt(Buffer.from(randomBytes(30).toString('base64'), 'utf8'));
  const sessionToken = randomBytes(48).toString('base64');
  await store.identities.createAccessKey({
    accessKeyId,
    accountId,
    principalArn: sessionArn,
    principalType: 'AssumedRole',
    principalId: `${roleId}:${sessionName}`,
    wrappedSecret: rootKey.wrap(secret, accessKeyAad(accessKeyId)),
    status: 'Active',
    createdAt: Date.now(),
    expiresAt: Date.now() + 3600_000,
    sessionTokenHash: createHash('sha256').update(sessionToken).digest(),
  });
  return { roleArn, sessionArn, credentials: { accessKeyId, secretAccessKey: secret.expose().toString('utf8'), sessionToken } };
}

/** An identity policy allowing `actions` on every resource. */
export function allowPolicy(actions: string | string[], condition?: object): object {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*', ...(condition ? { Condition: condition } : {}) }] };
}
