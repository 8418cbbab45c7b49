import type { CompiledPolicy, NamedPolicy, RequestContext, RequestPrincipal } from '../../../src/auth/policy/index.js';
import { parsePolicy } from '../../../src/auth/policy/index.js';

/** Shared principals, keys and builders for the policy engine's tests. */
export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export function user(name: string, accountId = ACCOUNT, tags?: Record<string, string>): RequestPrincipal {
  return {
    arn: `arn:aws:iam::${accountId}:user/${name}`,
    accountId,
    type: 'IAMUser',
    userId: `AIDA${name.toUpperCase()}`,
    username: name,
    ...(tags === undefined ? {} : { tags }),
  };
}

export function root(accountId = ACCOUNT): RequestPrincipal {
  return { arn: `arn:aws:iam::${accountId}:root`, accountId, type: 'Root', userId: accountId };
}

export function session(role: string, sessionName: string, accountId = ACCOUNT): RequestPrincipal {
  return {
    arn: `arn:aws:sts::${accountId}:assumed-role/${role}/${sessionName}`,
    accountId,
    type: 'AssumedRole',
    userId: `AROA${role.toUpperCase()}:${sessionName}`,
    roleArn: `arn:aws:iam::${accountId}:role/${role}`,
  };
}

export const bob = user('bob');

export function request(overrides: Partial<RequestContext> = {}): RequestContext {
  return { action: 'kms:Decrypt', resource: KEY_ARN, principal: bob, conditions: {}, ...overrides };
}

type Statement = Record<string, unknown>;

export function policyText(statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function keyPolicy(statements: Statement[]): CompiledPolicy {
  return parsePolicy(policyText(statements), 'key');
}

export function identity(name: string, statements: Statement[]): NamedPolicy {
  return { name, policy: parsePolicy(policyText(statements), 'identity') };
}

/** The statement of AWS's default key policy: the account root gets kms:*. */
export function rootStatement(accountId = ACCOUNT): Statement {
  return { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' };
}
