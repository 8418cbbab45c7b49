import type { Caller } from '../../../auth/caller.js';
import { roleArn, userArn } from '../../../auth/authorization/iam-authorization.js';
import type { IamContext } from '../../../service/identities/iam-context.js';
import { POLICY_DOCUMENT, POLICY_NAME, ROLE_NAME, USER_NAME, requireValid } from '../../../service/identities/iam-names.js';
import {
  deleteInlinePolicy,
  listInlinePolicyNames,
  putInlinePolicy,
  requireInlinePolicy,
  type PolicyHolder,
} from '../../../service/identities/inline-policies.js';
import { requireRole } from '../../../service/identities/roles.js';
import { requireUser } from '../../../service/identities/users.js';
import type { QueryAction } from '../query-action.js';
import { authorize, iamAction, parameter } from './iam-action.js';
import { pageOf } from './iam-paging.js';
import { encodedPolicyDocument } from './iam-wire.js';

type HolderKind = 'User' | 'Role';

/**
 * The principal a request names (`UserName` or `RoleName`), after authorizing `iam:<action>` on it — so an
 * unauthorized caller gets AccessDenied before it could learn whether the principal exists.
 */
async function namedHolder(
  kind: HolderKind,
  iam: IamContext,
  caller: Caller,
  parameters: URLSearchParams,
  action: string,
): Promise<PolicyHolder> {
  if (kind === 'User') {
    const name = requireValid('userName', parameter(parameters, 'UserName'), USER_NAME);
    const found = await iam.identities.getUser(caller.accountId, name);
    await authorize(iam, caller, action, found?.arn ?? userArn(caller.accountId, '/', name));
    const user = found ?? (await requireUser(iam, caller.accountId, name));
    return { kind: 'user', name: user.userName, arn: user.arn };
  }
  const name = requireValid('roleName', parameter(parameters, 'RoleName'), ROLE_NAME);
  const found = await iam.identities.getRole(caller.accountId, name);
  await authorize(iam, caller, action, found?.arn ?? roleArn(caller.accountId, '/', name));
  const role = found ?? (await requireRole(iam, caller.accountId, name));
  return { kind: 'role', name: role.roleName, arn: role.arn };
}

/** Put/Get/Delete/List<Kind>Policy: the inline identity policies of users and of roles work alike. */
function inlinePolicyActions(kind: HolderKind): ReadonlyArray<readonly [string, QueryAction]> {
  const policyName = (parameters: URLSearchParams) =>
    requireValid('policyName', parameter(parameters, 'PolicyName'), POLICY_NAME);
  const put = iamAction(false, async (parameters, { caller }, { iam }) => {
    const name = policyName(parameters);
    const document = requireValid('policyDocument', parameter(parameters, 'PolicyDocument'), POLICY_DOCUMENT);
    await putInlinePolicy(iam, await namedHolder(kind, iam, caller, parameters, `Put${kind}Policy`), name, document);
    return {};
  });
  const get = iamAction(true, async (parameters, { caller }, { iam }) => {
    const name = policyName(parameters);
    const holder = await namedHolder(kind, iam, caller, parameters, `Get${kind}Policy`);
    const policy = await requireInlinePolicy(iam, holder, name);
    return {
      [`${kind}Name`]: holder.name,
      PolicyName: policy.policyName,
      PolicyDocument: encodedPolicyDocument(policy.document),
    };
  });
  const remove = iamAction(false, async (parameters, { caller }, { iam }) => {
    const name = policyName(parameters);
    await deleteInlinePolicy(iam, await namedHolder(kind, iam, caller, parameters, `Delete${kind}Policy`), name);
    return {};
  });
  const list = iamAction(true, async (parameters, { caller }, { iam }) => {
    const holder = await namedHolder(kind, iam, caller, parameters, `List${kind}Policies`);
    return pageOf(parameters, 'PolicyNames', await listInlinePolicyNames(iam, holder));
  });
  return [
    [`Put${kind}Policy`, put],
    [`Get${kind}Policy`, get],
    [`Delete${kind}Policy`, remove],
    [`List${kind}Policies`, list],
  ];
}

export const USER_POLICY_ACTIONS = inlinePolicyActions('User');
export const ROLE_POLICY_ACTIONS = inlinePolicyActions('Role');
