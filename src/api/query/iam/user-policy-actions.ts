import { userArn } from '../../../auth/iam/iam-authorization.js';
import type { IamContext } from '../../../auth/iam/iam-context.js';
import { POLICY_DOCUMENT, POLICY_NAME, USER_NAME, requireValid } from '../../../auth/iam/iam-names.js';
import {
  deleteInlinePolicy,
  listInlinePolicyNames,
  putInlinePolicy,
  requireInlinePolicy,
  type PolicyHolder,
} from '../../../auth/iam/inline-policies.js';
import { requireUser } from '../../../auth/iam/users.js';
import type { Caller } from '../../../auth/caller.js';
import type { QueryAction } from '../query-endpoint.js';
import { authorize, iamAction, parameter } from './iam-action.js';
import { pageOf } from './iam-paging.js';
import { encodedPolicyDocument } from './iam-wire.js';

/** The user a request names, after authorizing `iam:<action>` on it (AccessDenied before NoSuchEntity). */
async function namedUser(iam: IamContext, caller: Caller, parameters: URLSearchParams, action: string): Promise<PolicyHolder> {
  const userName = requireValid('userName', parameter(parameters, 'UserName'), USER_NAME);
  const found = await iam.identities.getUser(caller.accountId, userName);
  await authorize(iam, caller, action, found?.arn ?? userArn(caller.accountId, '/', userName));
  const user = found ?? (await requireUser(iam, caller.accountId, userName));
  return { kind: 'user', name: user.userName, arn: user.arn };
}

const PutUserPolicy = iamAction(false, async (parameters, { caller }, { iam }) => {
  const policyName = requireValid('policyName', parameter(parameters, 'PolicyName'), POLICY_NAME);
  const document = requireValid('policyDocument', parameter(parameters, 'PolicyDocument'), POLICY_DOCUMENT);
  const holder = await namedUser(iam, caller, parameters, 'PutUserPolicy');
  await putInlinePolicy(iam, holder, policyName, document);
  return {};
});

const GetUserPolicy = iamAction(true, async (parameters, { caller }, { iam }) => {
  const policyName = requireValid('policyName', parameter(parameters, 'PolicyName'), POLICY_NAME);
  const holder = await namedUser(iam, caller, parameters, 'GetUserPolicy');
  const policy = await requireInlinePolicy(iam, holder, policyName);
  return { UserName: holder.name, PolicyName: policy.policyName, PolicyDocument: encodedPolicyDocument(policy.document) };
});

const DeleteUserPolicy = iamAction(false, async (parameters, { caller }, { iam }) => {
  const policyName = requireValid('policyName', parameter(parameters, 'PolicyName'), POLICY_NAME);
  const holder = await namedUser(iam, caller, parameters, 'DeleteUserPolicy');
  await deleteInlinePolicy(iam, holder, policyName);
  return {};
});

const ListUserPolicies = iamAction(true, async (parameters, { caller }, { iam }) => {
  const holder = await namedUser(iam, caller, parameters, 'ListUserPolicies');
  return pageOf(parameters, 'PolicyNames', await listInlinePolicyNames(iam, holder));
});

export const USER_POLICY_ACTIONS: ReadonlyArray<readonly [string, QueryAction]> = [
  ['PutUserPolicy', PutUserPolicy],
  ['GetUserPolicy', GetUserPolicy],
  ['DeleteUserPolicy', DeleteUserPolicy],
  ['ListUserPolicies', ListUserPolicies],
];
