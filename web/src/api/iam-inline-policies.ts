import {
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { readablePolicyDocument } from './iam-policy-document';

/** Whom an inline policy belongs to: IAM's user and role policies work alike, through twin operations. */
export interface PolicyHolder {
  readonly kind: 'user' | 'role';
  readonly name: string;
}

/**
 * The names of a user's or role's inline policies.
 *
 * @example
 *   await listInlinePolicies(clients.iam, { kind: 'user', name: 'alice' }); // ['UseKeys']
 */
export async function listInlinePolicies(iam: IAMClient, holder: PolicyHolder): Promise<readonly string[]> {
  const answer =
    holder.kind === 'user'
      ? await iam.send(new ListUserPoliciesCommand({ UserName: holder.name, MaxItems: 1000 }))
      : await iam.send(new ListRolePoliciesCommand({ RoleName: holder.name, MaxItems: 1000 }));
  return answer.PolicyNames ?? [];
}

/** One inline policy's document, decoded and indented for reading and editing. */
export async function getInlinePolicy(iam: IAMClient, holder: PolicyHolder, policyName: string): Promise<string> {
  const answer =
    holder.kind === 'user'
      ? await iam.send(new GetUserPolicyCommand({ UserName: holder.name, PolicyName: policyName }))
      : await iam.send(new GetRolePolicyCommand({ RoleName: holder.name, PolicyName: policyName }));
  return readablePolicyDocument(answer.PolicyDocument ?? '');
}

/** Creates or replaces an inline policy; the server refuses a malformed one with MalformedPolicyDocument. */
export async function putInlinePolicy(iam: IAMClient, holder: PolicyHolder, policyName: string, document: string): Promise<void> {
  if (holder.kind === 'user') {
    await iam.send(new PutUserPolicyCommand({ UserName: holder.name, PolicyName: policyName, PolicyDocument: document }));
  } else {
    await iam.send(new PutRolePolicyCommand({ RoleName: holder.name, PolicyName: policyName, PolicyDocument: document }));
  }
}

export async function deleteInlinePolicy(iam: IAMClient, holder: PolicyHolder, policyName: string): Promise<void> {
  if (holder.kind === 'user') {
    await iam.send(new DeleteUserPolicyCommand({ UserName: holder.name, PolicyName: policyName }));
  } else {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: holder.name, PolicyName: policyName }));
  }
}
