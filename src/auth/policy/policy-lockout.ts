import { MalformedPolicyDocumentException } from '../../errors.js';
import type { CompiledPolicy } from './compiled-policy.js';
import { evaluateKeyAccess, type NamedPolicy } from './key-access.js';
import type { ConditionValue, RequestPrincipal } from './request-context.js';

/** AWS's message when a new key policy would lock its author out. */
export const POLICY_LOCKOUT_MESSAGE = 'The new key policy will not allow you to update the key policy in the future.';

export interface PolicyLockoutQuestion {
  /** The new key policy (CreateKey's Policy or PutKeyPolicy's). */
  readonly policy: CompiledPolicy;
  readonly keyArn: string;
  /** The principal making the CreateKey / PutKeyPolicy request. */
  readonly caller: RequestPrincipal;
  /** The caller's identity policies: when the new policy delegates to the account, they must allow it. */
  readonly identityPolicies: readonly NamedPolicy[];
  /** Condition keys of the current request, applied to the simulated PutKeyPolicy. */
  readonly conditions?: Readonly<Record<string, ConditionValue>>;
  readonly bypassPolicyLockoutSafetyCheck?: boolean;
}

/**
 * The policy lockout safety check of CreateKey and PutKeyPolicy: unless bypassed, the new policy must let the
 * caller make a later kms:PutKeyPolicy on the key (directly, or via the account root and the caller's
 * identity policies). Throws MalformedPolicyDocumentException otherwise.
 */
export function checkPolicyLockout(question: PolicyLockoutQuestion): void {
  if (question.bypassPolicyLockoutSafetyCheck === true) return;
  const decision = evaluateKeyAccess({
    keyPolicy: question.policy,
    identityPolicies: question.identityPolicies,
    grants: [], // a grant can never allow PutKeyPolicy
    request: {
      action: 'kms:PutKeyPolicy',
      resource: question.keyArn,
      principal: question.caller,
      conditions: { ...question.conditions, 'kms:BypassPolicyLockoutSafetyCheck': false },
    },
  });
  if (decision.effect !== 'Allow') throw new MalformedPolicyDocumentException(POLICY_LOCKOUT_MESSAGE);
}
