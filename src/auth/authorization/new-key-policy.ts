import type { IdentityRepository } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { checkPolicyLockout, parsePolicy, PolicyCache, type CompiledPolicy } from '../policy/index.js';
import { resolveCallerIdentity } from './caller-identity.js';

export interface NewKeyPolicyQuestion {
  readonly identities: IdentityRepository;
  readonly caller: Caller;
  /** The policy document CreateKey or PutKeyPolicy was given. */
  readonly policy: string;
  /** The key's ARN (for CreateKey, the ARN the new key will have). */
  readonly keyArn: string;
  readonly bypassPolicyLockoutSafetyCheck: boolean;
}

const IAM_ENTITY = /^arn:aws[a-z-]*:iam::(\d{12}):(user|role)\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

/**
 * What AWS checks of a new key policy, in AWS's order: the document (MalformedPolicyDocumentException, or
 * LimitExceededException above 32 KB); every IAM user and role it names must exist ("Policy contains a
 * statement with one or more invalid principals." otherwise; account roots always exist); and, unless
 * bypassed, the lockout safety check — the caller must still be allowed kms:PutKeyPolicy under the new policy.
 *
 * @example
 *   await validateNewKeyPolicy({ identities: store.identities, caller, policy, keyArn, bypassPolicyLockoutSafetyCheck: false });
 */
export async function validateNewKeyPolicy(question: NewKeyPolicyQuestion): Promise<CompiledPolicy> {
  const unchecked = parsePolicy(question.policy, 'key');
  const existing = await existingEntities(question.identities, unchecked);
  const compiled = parsePolicy(question.policy, 'key', { principalExists: (arn) => existing.has(arn) });
  const identity = await resolveCallerIdentity(question.identities, question.caller, new PolicyCache(16));
  checkPolicyLockout({
    policy: compiled,
    keyArn: question.keyArn,
    caller: identity.principal,
    identityPolicies: identity.identityPolicies,
    bypassPolicyLockoutSafetyCheck: question.bypassPolicyLockoutSafetyCheck,
  });
  return compiled;
}

/** The user and role ARNs named in the policy that exist in the identity store (with the same ARN, path included). */
async function existingEntities(identities: IdentityRepository, policy: CompiledPolicy): Promise<Set<string>> {
  const named = new Set<string>();
  for (const statement of policy.statements) {
    for (const arn of statement.principals?.list.arns ?? []) if (IAM_ENTITY.test(arn)) named.add(arn);
  }
  const existing = new Set<string>();
  for (const arn of named) {
    const [, accountId = '', kind, name = ''] = IAM_ENTITY.exec(arn) ?? [];
    const entity = kind === 'user' ? await identities.getUser(accountId, name) : await identities.getRole(accountId, name);
    if (entity?.arn === arn) existing.add(arn);
  }
  return existing;
}
