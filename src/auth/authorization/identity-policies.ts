import type { IdentityRepository } from '../../store/store.js';
import type { Caller } from '../caller.js';
import type { NamedPolicy, PolicyCache, RequestPrincipal } from '../policy/index.js';

const ASSUMED_ROLE_ARN = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/([\w+=,.@-]+)$/u;

/**
 * The ARN that holds a caller's identity policies: an IAM user's own ARN, or, for an assumed-role session,
 * the ARN of the role (with its path) — but only while the role that issued the session still exists
 * under the same unique id (a role deleted and re-created does not pass its policies to old sessions).
 * Undefined for the account root, which has no identity policies (it is implicitly allowed everything
 * in its account), and for sessions of deleted roles.
 *
 * @example
 *   const holder = await identityPolicyHolder(caller, store.identities);
 *   const policies = holder === undefined ? [] : await store.identities.listPolicies(holder);
 */
export async function identityPolicyHolder(caller: Caller, identities: IdentityRepository): Promise<string | undefined> {
  switch (caller.type) {
    case 'Root':
      return undefined;
    case 'IAMUser':
      return caller.arn;
    case 'AssumedRole': {
      const roleArn = await sessionRoleArn(caller, identities);
      return roleArn;
    }
  }
}

/** The ARN of the role behind an assumed-role session, if that role still exists with the same id. */
export async function sessionRoleArn(caller: Caller, identities: IdentityRepository): Promise<string | undefined> {
  const parsed = ASSUMED_ROLE_ARN.exec(caller.arn);
  if (parsed === null || parsed[1] !== caller.accountId || parsed[2] === undefined) return undefined;
  const role = await identities.getRole(caller.accountId, parsed[2]);
  if (role === undefined || !caller.principalId.startsWith(`${role.roleId}:`)) return undefined;
  return role.arn;
}

/**
 * A caller's identity policies, compiled (through the cache) and named for explanations.
 *
 * @example
 *   const decision = evaluateIdentityOnly({ identityPolicies: await loadIdentityPolicies(caller, identities, cache), request });
 */
export async function loadIdentityPolicies(
  caller: Caller,
  identities: IdentityRepository,
  policies: PolicyCache,
): Promise<NamedPolicy[]> {
  const holder = await identityPolicyHolder(caller, identities);
  if (holder === undefined) return [];
  const stored = await identities.listPolicies(holder);
  return stored.map((policy) => ({ name: policy.policyName, policy: policies.get(policy.document, 'identity') }));
}

/** The policy engine's view of a caller (`roleArn` for sessions, so policies naming the role match them). */
export function requestPrincipalOf(caller: Caller, roleArn?: string): RequestPrincipal {
  return {
    arn: caller.arn,
    accountId: caller.accountId,
    type: caller.type,
    userId: caller.principalId,
    ...(caller.type === 'IAMUser' && caller.userName !== undefined ? { username: caller.userName } : {}),
    ...(roleArn !== undefined ? { roleArn } : {}),
  };
}
