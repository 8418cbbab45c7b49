import type { Caller } from '../caller.js';
import { requestPrincipalOf, sessionRoleArn } from './identity-policies.js';
import type { NamedPolicy, PolicyCache, RequestPrincipal } from '../policy/index.js';
import type { IdentityRepository } from '../../store/store.js';

/** Who the caller is, as the policy engine sees it, and the identity policies that apply to it. */
export interface CallerIdentity {
  readonly principal: RequestPrincipal;
  /** The user's inline policies, or the assumed role's; none for an account's root user. */
  readonly identityPolicies: readonly NamedPolicy[];
}

/**
 * Builds the caller's identity for one request. Identity policies are read from the store on every request
 * (one indexed query) rather than cached, so an IAM policy change applies to the very next request. A session
 * carries its role's ARN (with the role's path, as key policies name it) only while the role that issued it
 * still exists under the same unique id — see `sessionRoleArn`.
 *
 * @example
 *   const { principal, identityPolicies } = await resolveCallerIdentity(store.identities, caller, policies);
 */
export async function resolveCallerIdentity(
  identities: IdentityRepository,
  caller: Caller,
  policies: PolicyCache,
): Promise<CallerIdentity> {
  const roleArn = caller.type === 'AssumedRole' ? await sessionRoleArn(caller, identities) : undefined;
  // Users hold their own policies, sessions their role's; the root holds none (and a stale session neither).
  const holder = caller.type === 'IAMUser' ? caller.arn : roleArn;
  const stored = holder === undefined ? [] : await identities.listPolicies(holder);
  return {
    principal: requestPrincipalOf(caller, roleArn),
    identityPolicies: stored.map((policy) => ({ name: policy.policyName, policy: policies.get(policy.document, 'identity') })),
  };
}
