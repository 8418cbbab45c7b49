import type { Caller } from '../caller.js';
import { accessDeniedMessage, evaluateIdentityOnly, type RequestContext } from '../policy/index.js';
import { AccessDenied } from '../../errors.js';
import type { IdentityRepository } from '../../store/store.js';
import type { PolicyCache } from '../policy/index.js';
import { loadIdentityPolicies, requestPrincipalOf, sessionRoleArn } from './identity-policies.js';

/** What authorizing an IAM action reads: the caller's identity policies, and the clock (aws:CurrentTime). */
export interface IamAuthorizationContext {
  readonly identities: IdentityRepository;
  readonly policies: PolicyCache;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

/**
 * Who may manage identities: the account's root, and principals whose identity policies allow the IAM
 * action on the resource (an explicit Deny wins). Every IAM action works on the caller's own account only,
 * so there is no cross-account case. Throws IAM's `AccessDenied` (403) with AWS's message otherwise.
 *
 * @param action e.g. `iam:CreateUser`
 * @param resource the ARN of the user or role acted on, e.g. `arn:aws:iam::111122223333:user/bob`
 *
 * @example
 *   await authorizeIamAction(context, caller, 'iam:CreateUser', userArn(caller.accountId, '/', 'bob'));
 */
export async function authorizeIamAction(context: IamAuthorizationContext, caller: Caller, action: string, resource: string): Promise<void> {
  if (caller.type === 'Root') return;
  const roleArn = caller.type === 'AssumedRole' ? await sessionRoleArn(caller, context.identities) : undefined;
  const request: RequestContext = {
    action,
    resource,
    principal: requestPrincipalOf(caller, roleArn),
    conditions: { 'aws:CurrentTime': new Date(context.now()).toISOString() },
  };
  const identityPolicies = await loadIdentityPolicies(caller, context.identities, context.policies);
  const decision = evaluateIdentityOnly({ identityPolicies, request });
  if (decision.effect !== 'Allow') throw new AccessDenied(accessDeniedMessage(decision, request));
}

/** `arn:aws:iam::<account>:user<path><name>` */
export function userArn(accountId: string, path: string, userName: string): string {
  return `arn:aws:iam::${accountId}:user${path}${userName}`;
}

/** `arn:aws:iam::<account>:role<path><name>` */
export function roleArn(accountId: string, path: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role${path}${roleName}`;
}
