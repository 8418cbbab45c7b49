import type { InlinePolicy } from '../../store/store.js';
import type { IamContext } from './iam-context.js';
import { LimitExceeded, NoSuchEntity } from '../../errors.js';
import { policySize, validatePolicyDocument } from './policy-documents.js';

/** A user or role that holds inline policies. */
export interface PolicyHolder {
  readonly kind: 'user' | 'role';
  readonly name: string;
  readonly arn: string;
}

/**
 * IAM's quotas on the aggregate size of a principal's inline policies (IAM User Guide, "IAM and AWS STS
 * quotas"): 2,048 characters for a user, 10,240 for a role, white space not counted.
 */
const AGGREGATE_POLICY_SIZE: Readonly<Record<PolicyHolder['kind'], number>> = { user: 2_048, role: 10_240 };

/**
 * Creates or replaces an inline identity policy after validating it (`MalformedPolicyDocument`) and
 * checking the holder's aggregate quota (`LimitExceeded`).
 *
 * @example
 *   await putInlinePolicy(context, { kind: 'user', name: 'bob', arn: user.arn }, 'kms-use', document);
 */
export async function putInlinePolicy(context: IamContext, holder: PolicyHolder, policyName: string, document: string): Promise<void> {
  validatePolicyDocument(document, 'identity');
  const others = (await context.identities.listPolicies(holder.arn)).filter(
    (policy) => policy.policyName.toLowerCase() !== policyName.toLowerCase(),
  );
  const total = others.reduce((sum, policy) => sum + policySize(policy.document), policySize(document));
  const limit = AGGREGATE_POLICY_SIZE[holder.kind];
  if (total > limit) {
    throw new LimitExceeded(`Maximum policy size of ${limit} bytes exceeded for ${holder.kind} ${holder.name}`);
  }
  await context.identities.putPolicy({ principalArn: holder.arn, policyName, document });
}

/** The policy, or IAM's `NoSuchEntity` ("The user policy with name P cannot be found."). */
export async function requireInlinePolicy(context: IamContext, holder: PolicyHolder, policyName: string): Promise<InlinePolicy> {
  const policy = await context.identities.getPolicy(holder.arn, policyName);
  if (policy === undefined) throw new NoSuchEntity(`The ${holder.kind} policy with name ${policyName} cannot be found.`);
  return policy;
}

/** Deletes an inline policy; `NoSuchEntity` when there is none of that name. */
export async function deleteInlinePolicy(context: IamContext, holder: PolicyHolder, policyName: string): Promise<void> {
  const policy = await requireInlinePolicy(context, holder, policyName);
  await context.identities.deletePolicy(holder.arn, policy.policyName);
}

/** The names of a holder's inline policies, sorted. */
export async function listInlinePolicyNames(context: IamContext, holder: PolicyHolder): Promise<string[]> {
  return (await context.identities.listPolicies(holder.arn)).map((policy) => policy.policyName);
}
