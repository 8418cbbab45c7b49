import type { Caller } from '../../../auth/caller.js';
import { roleArn } from '../../../auth/iam/iam-authorization.js';
import type { IamContext } from '../../../auth/iam/iam-context.js';
import { POLICY_DOCUMENT, POLICY_NAME, ROLE_NAME, requireValid } from '../../../auth/iam/iam-names.js';
import {
  deleteInlinePolicy,
  listInlinePolicyNames,
  putInlinePolicy,
  requireInlinePolicy,
  type PolicyHolder,
} from '../../../auth/iam/inline-policies.js';
import { requireRole } from '../../../auth/iam/roles.js';
import type { QueryAction } from '../query-endpoint.js';
import { authorize, iamAction, parameter } from './iam-action.js';
import { pageOf } from './iam-paging.js';
import { encodedPolicyDocument } from './iam-wire.js';

/** The role a request names, after authorizing `iam:<action>` on it (AccessDenied before NoSuchEntity). */
async function namedRole(iam: IamContext, caller: Caller, parameters: URLSearchParams, action: string): Promise<PolicyHolder> {
  const roleName = requireValid('roleName', parameter(parameters, 'RoleName'), ROLE_NAME);
  const found = await iam.identities.getRole(caller.accountId, roleName);
  await authorize(iam, caller, action, found?.arn ?? roleArn(caller.accountId, '/', roleName));
  const role = found ?? (await requireRole(iam, caller.accountId, roleName));
  return { kind: 'role', name: role.roleName, arn: role.arn };
}

const PutRolePolicy = iamAction(false, async (parameters, { caller }, { iam }) => {
  const policyName = requireValid('policyName', parameter(parameters, 'PolicyName'), POLICY_NAME);
  const document = requireValid('policyDocument', parameter(parameters, 'PolicyDocument'), POLICY_DOCUMENT);
  const holder = await namedRole(iam, caller, parameters, 'PutRolePolicy');
  await putInlinePolicy(iam, holder, policyName, document);
  return {};
});

const GetRolePolicy = iamAction(true, async (parameters, { caller }, { iam }) => {
  const policyName = requireValid('policyName', parameter(parameters, 'PolicyName'), POLICY_NAME);
  const holder = await namedRole(iam, caller, parameters, 'GetRolePolicy');
  const policy = await requireInlinePolicy(iam, holder, policyName);
  return { RoleName: holder.name, PolicyName: policy.policyName, PolicyDocument: encodedPolicyDocument(policy.document) };
});

const DeleteRolePolicy = iamAction(false, async (parameters, { caller }, { iam }) => {
  const policyName = requireValid('policyName', parameter(parameters, 'PolicyName'), POLICY_NAME);
  const holder = await namedRole(iam, caller, parameters, 'DeleteRolePolicy');
  await deleteInlinePolicy(iam, holder, policyName);
  return {};
});

const ListRolePolicies = iamAction(true, async (parameters, { caller }, { iam }) => {
  const holder = await namedRole(iam, caller, parameters, 'ListRolePolicies');
  return pageOf(parameters, 'PolicyNames', await listInlinePolicyNames(iam, holder));
});

export const ROLE_POLICY_ACTIONS: ReadonlyArray<readonly [string, QueryAction]> = [
  ['PutRolePolicy', PutRolePolicy],
  ['GetRolePolicy', GetRolePolicy],
  ['DeleteRolePolicy', DeleteRolePolicy],
  ['ListRolePolicies', ListRolePolicies],
];
