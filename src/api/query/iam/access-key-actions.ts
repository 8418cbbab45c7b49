import type { Caller } from '../../../auth/caller.js';
import { createAccessKeyFor, deleteAccessKeyOf, listAccessKeysOf, setAccessKeyStatusOf } from '../../../service/identities/access-key-management.js';
import { userArn } from '../../../auth/authorization/iam-authorization.js';
import type { IamContext } from '../../../service/identities/iam-context.js';
import { ACCESS_KEY_ID, USER_NAME, optionalValid, requireAccessKeyStatus, requireValid } from '../../../service/identities/iam-names.js';
import { requireUser } from '../../../service/identities/users.js';
import type { IamUser } from '../../../store/store.js';
import type { QueryAction } from '../query-action.js';
import { authorize, iamAction, parameter } from './iam-action.js';
import { pageOf } from './iam-paging.js';
import { callingUserName } from './user-actions.js';
import { accessKeyMetadataXml, iamTimestamp } from './iam-wire.js';

/**
 * Whose access keys a request is about: the user it names, else the caller itself — an IAM user, or the
 * account root (whose keys these operations also manage, as in AWS). Authorizes `iam:<action>` on it.
 */
async function keyOwner(
  iam: IamContext,
  caller: Caller,
  parameters: URLSearchParams,
  action: string,
): Promise<{ readonly arn: string; readonly user?: IamUser }> {
  const named = optionalValid('userName', parameter(parameters, 'UserName'), USER_NAME);
  if (named === undefined && caller.type === 'Root') {
    await authorize(iam, caller, action, caller.arn);
    return { arn: caller.arn };
  }
  const userName = named ?? callingUserName(caller.type, caller.userName);
  const found = await iam.identities.getUser(caller.accountId, userName);
  await authorize(iam, caller, action, found?.arn ?? userArn(caller.accountId, '/', userName));
  const user = found ?? (await requireUser(iam, caller.accountId, userName));
  return { arn: user.arn, user };
}

const CreateAccessKey = iamAction(false, async (parameters, { caller }, { iam }) => {
  const owner = await keyOwner(iam, caller, parameters, 'CreateAccessKey');
  const { record, secret } = await createAccessKeyFor(iam, caller.accountId, owner.user);
  return {
    AccessKey: {
      UserName: record.userName,
      AccessKeyId: record.accessKeyId,
      Status: record.status,
      // The one place a secret access key leaves Strongroom: the response that creates it.
      SecretAccessKey: secret.expose().toString('utf8'),
      CreateDate: iamTimestamp(record.createdAt),
    },
  };
});

const DeleteAccessKey = iamAction(false, async (parameters, { caller }, { iam }) => {
  const accessKeyId = requireValid('accessKeyId', parameter(parameters, 'AccessKeyId'), ACCESS_KEY_ID);
  const owner = await keyOwner(iam, caller, parameters, 'DeleteAccessKey');
  await deleteAccessKeyOf(iam, owner.arn, accessKeyId);
  return {};
});

const UpdateAccessKey = iamAction(false, async (parameters, { caller }, { iam }) => {
  const accessKeyId = requireValid('accessKeyId', parameter(parameters, 'AccessKeyId'), ACCESS_KEY_ID);
  const status = requireAccessKeyStatus(parameter(parameters, 'Status'));
  const owner = await keyOwner(iam, caller, parameters, 'UpdateAccessKey');
  await setAccessKeyStatusOf(iam, owner.arn, accessKeyId, status);
  return {};
});

const ListAccessKeys = iamAction(true, async (parameters, { caller }, { iam }) => {
  const owner = await keyOwner(iam, caller, parameters, 'ListAccessKeys');
  const keys = await listAccessKeysOf(iam, owner.arn);
  return pageOf(parameters, 'AccessKeyMetadata', keys.map(accessKeyMetadataXml));
});

export const ACCESS_KEY_ACTIONS: ReadonlyArray<readonly [string, QueryAction]> = [
  ['CreateAccessKey', CreateAccessKey],
  ['DeleteAccessKey', DeleteAccessKey],
  ['UpdateAccessKey', UpdateAccessKey],
  ['ListAccessKeys', ListAccessKeys],
];
