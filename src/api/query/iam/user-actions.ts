import { userArn } from '../../../auth/authorization/iam-authorization.js';
import { ValidationError } from '../../../errors.js';
import { PATH, USER_NAME, optionalValid, requireValid } from '../../../service/identities/iam-names.js';
import { createUser, deleteUser, listUsers, requireUser } from '../../../service/identities/users.js';
import type { QueryAction } from '../query-action.js';
import { authorize, iamAction, parameter } from './iam-action.js';
import { pageOf } from './iam-paging.js';
import { iamTimestamp, userXml } from './iam-wire.js';

const CreateUser = iamAction(false, async (parameters, { caller }, { iam }) => {
  const userName = requireValid('userName', parameter(parameters, 'UserName'), USER_NAME);
  const path = optionalValid('path', parameter(parameters, 'Path'), PATH) ?? '/';
  await authorize(iam, caller, 'CreateUser', userArn(caller.accountId, path, userName));
  return { User: userXml(await createUser(iam, caller.accountId, { userName, path })) };
});

/** Without UserName, the calling user (or the account root, as AWS answers for root credentials). */
const GetUser = iamAction(true, async (parameters, { caller }, { iam }) => {
  const named = optionalValid('userName', parameter(parameters, 'UserName'), USER_NAME);
  if (named === undefined && caller.type === 'Root') {
    await authorize(iam, caller, 'GetUser', caller.arn);
    const account = await iam.identities.getAccount(caller.accountId);
    return { User: { UserId: caller.accountId, Arn: caller.arn, CreateDate: iamTimestamp(account?.createdAt ?? 0) } };
  }
  const userName = named ?? callingUserName(caller.type, caller.userName);
  const user = await iam.identities.getUser(caller.accountId, userName);
  await authorize(iam, caller, 'GetUser', user?.arn ?? userArn(caller.accountId, '/', userName));
  return { User: userXml(user ?? (await requireUser(iam, caller.accountId, userName))) };
});

const DeleteUser = iamAction(false, async (parameters, { caller }, { iam }) => {
  const userName = requireValid('userName', parameter(parameters, 'UserName'), USER_NAME);
  const user = await iam.identities.getUser(caller.accountId, userName);
  await authorize(iam, caller, 'DeleteUser', user?.arn ?? userArn(caller.accountId, '/', userName));
  await deleteUser(iam, caller.accountId, userName);
  return {};
});

const ListUsers = iamAction(true, async (parameters, { caller }, { iam }) => {
  const pathPrefix = optionalValid('pathPrefix', parameter(parameters, 'PathPrefix'), PATH_PREFIX) ?? '/';
  await authorize(iam, caller, 'ListUsers', '*');
  return pageOf(parameters, 'Users', (await listUsers(iam, caller.accountId, pathPrefix)).map(userXml));
});

/** `PathPrefix` may end without a slash (`/division_abc/subdivision`). */
const PATH_PREFIX = { ...PATH, pattern: /^\/[\u0021-\u007e]*$/u, shown: '\\u002F[\\u0021-\\u007F]*' };

/** The name of the IAM user whose credentials signed the request; other principals must name a user. */
export function callingUserName(type: string, userName: string | undefined): string {
  if (type === 'IAMUser' && userName !== undefined) return userName;
  throw new ValidationError('Must specify userName when calling with non-User credentials');
}

export const USER_ACTIONS: ReadonlyArray<readonly [string, QueryAction]> = [
  ['CreateUser', CreateUser],
  ['GetUser', GetUser],
  ['DeleteUser', DeleteUser],
  ['ListUsers', ListUsers],
];
