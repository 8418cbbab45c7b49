import { roleArn } from '../../../auth/authorization/iam-authorization.js';
import { validationError } from '../../../errors.js';
import { PATH, POLICY_DOCUMENT, ROLE_NAME, optionalInteger, optionalValid, requireValid } from '../../../service/identities/iam-names.js';
import { MAX_SESSION_DURATION_BOUNDS, createRole, deleteRole, listRoles, requireRole, updateTrustPolicy } from '../../../service/identities/roles.js';
import type { QueryAction } from '../query-action.js';
import { authorize, iamAction, parameter } from './iam-action.js';
import { pageOf } from './iam-paging.js';
import { roleXml } from './iam-wire.js';

const DESCRIPTION_MAX = 1000;

const CreateRole = iamAction(false, async (parameters, { caller }, { iam }) => {
  const roleName = requireValid('roleName', parameter(parameters, 'RoleName'), ROLE_NAME);
  const trustPolicy = requireValid('assumeRolePolicyDocument', parameter(parameters, 'AssumeRolePolicyDocument'), POLICY_DOCUMENT);
  const path = optionalValid('path', parameter(parameters, 'Path'), PATH) ?? '/';
  const description = parameter(parameters, 'Description');
  if (description !== undefined && description.length > DESCRIPTION_MAX) {
    throw validationError('description', description, `Member must have length less than or equal to ${DESCRIPTION_MAX}`);
  }
  const { min, max } = MAX_SESSION_DURATION_BOUNDS;
  const maxSessionDurationSeconds = optionalInteger('maxSessionDuration', parameter(parameters, 'MaxSessionDuration'), min, max);
  await authorize(iam, caller, 'CreateRole', roleArn(caller.accountId, path, roleName));
  const role = await createRole(iam, caller.accountId, {
    roleName,
    path,
    trustPolicy,
    ...(description !== undefined ? { description } : {}),
    ...(maxSessionDurationSeconds !== undefined ? { maxSessionDurationSeconds } : {}),
  });
  return { Role: roleXml(role) };
});

const GetRole = iamAction(true, async (parameters, { caller }, { iam }) => {
  const roleName = requireValid('roleName', parameter(parameters, 'RoleName'), ROLE_NAME);
  const found = await iam.identities.getRole(caller.accountId, roleName);
  await authorize(iam, caller, 'GetRole', found?.arn ?? roleArn(caller.accountId, '/', roleName));
  return { Role: roleXml(found ?? (await requireRole(iam, caller.accountId, roleName))) };
});

const DeleteRole = iamAction(false, async (parameters, { caller }, { iam }) => {
  const roleName = requireValid('roleName', parameter(parameters, 'RoleName'), ROLE_NAME);
  const found = await iam.identities.getRole(caller.accountId, roleName);
  await authorize(iam, caller, 'DeleteRole', found?.arn ?? roleArn(caller.accountId, '/', roleName));
  await deleteRole(iam, caller.accountId, roleName);
  return {};
});

const UpdateAssumeRolePolicy = iamAction(false, async (parameters, { caller }, { iam }) => {
  const roleName = requireValid('roleName', parameter(parameters, 'RoleName'), ROLE_NAME);
  const trustPolicy = requireValid('policyDocument', parameter(parameters, 'PolicyDocument'), POLICY_DOCUMENT);
  const found = await iam.identities.getRole(caller.accountId, roleName);
  await authorize(iam, caller, 'UpdateAssumeRolePolicy', found?.arn ?? roleArn(caller.accountId, '/', roleName));
  await updateTrustPolicy(iam, caller.accountId, roleName, trustPolicy);
  return {};
});

const ListRoles = iamAction(true, async (parameters, { caller }, { iam }) => {
  const pathPrefix = optionalValid('pathPrefix', parameter(parameters, 'PathPrefix'), PATH_PREFIX) ?? '/';
  await authorize(iam, caller, 'ListRoles', '*');
  const roles = await listRoles(iam, caller.accountId, pathPrefix);
  return pageOf(parameters, 'Roles', roles.map((role) => roleXml(role, false)));
});

const PATH_PREFIX = { ...PATH, pattern: /^\/[\u0021-\u007e]*$/u, shown: '\\u002F[\\u0021-\\u007F]*' };

export const ROLE_ACTIONS: ReadonlyArray<readonly [string, QueryAction]> = [
  ['CreateRole', CreateRole],
  ['GetRole', GetRole],
  ['DeleteRole', DeleteRole],
  ['ListRoles', ListRoles],
  ['UpdateAssumeRolePolicy', UpdateAssumeRolePolicy],
];
