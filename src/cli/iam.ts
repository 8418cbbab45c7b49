import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAccessKeyFor, deleteAccessKeyOf, listAccessKeysOf, setAccessKeyStatusOf } from '../service/identities/access-key-management.js';
import {
  ACCESS_KEY_ID, PATH, POLICY_DOCUMENT, POLICY_NAME, ROLE_NAME, USER_NAME, optionalInteger, optionalValid, requireAccessKeyStatus, requireValid,
} from '../service/identities/iam-names.js';
import { deleteInlinePolicy, putInlinePolicy, type PolicyHolder } from '../service/identities/inline-policies.js';
import { MAX_SESSION_DURATION_BOUNDS, createRole, deleteRole, listRoles, requireRole, updateTrustPolicy } from '../service/identities/roles.js';
import { createUser, deleteUser, listUsers, requireUser } from '../service/identities/users.js';
import { openStorageSession, STORAGE_USAGE, withErrorCode, type StorageSession } from './storage-session.js';

export const IAM_USAGE = `  iam COMMAND       Manage IAM users, access keys, roles and inline policies of an account, on a data
                    directory or shared database directly (as the account's root; --account-id defaults to
                    the administrator's account). Prints JSON. Commands, with their flags:
          create-user --user-name N [--path P]      delete-user --user-name N      list-users
          create-access-key --user-name N           delete-access-key --user-name N --access-key-id ID
          list-access-keys --user-name N
          update-access-key --user-name N --access-key-id ID --status Active|Inactive
          put-user-policy --user-name N --policy-name P --policy-document JSON|file://PATH
          delete-user-policy --user-name N --policy-name P
          create-role --role-name N --assume-role-policy-document JSON|file://PATH [--path P]
                      [--description D] [--max-session-duration SECONDS]
          delete-role --role-name N                 list-roles
          update-assume-role-policy --role-name N --policy-document JSON|file://PATH
          put-role-policy --role-name N --policy-name P --policy-document JSON|file://PATH
          delete-role-policy --role-name N --policy-name P
${STORAGE_USAGE}`;

const FLAGS = [
  'data-dir', 'database-url', 'root-key-file', 'account-id', 'user-name', 'role-name', 'path', 'access-key-id', 'policy-name', 'policy-document',
  'assume-role-policy-document', 'description', 'max-session-duration', 'status',
] as const;
type Flags = Partial<Record<(typeof FLAGS)[number], string>>;
type Command = (session: StorageSession, accountId: string, flags: Flags) => Promise<unknown>;

/** A policy given inline or, as the AWS CLI allows, as `file://path`. */
async function document(value: string | undefined, member: string): Promise<string> {
  const text = value?.startsWith('file://') ? await readFile(resolve(value.slice('file://'.length)), 'utf8') : value;
  return requireValid(member, text, POLICY_DOCUMENT);
}

async function userHolder(session: StorageSession, accountId: string, flags: Flags): Promise<PolicyHolder> {
  const user = await requireUser(session.iam, accountId, requireValid('userName', flags['user-name'], USER_NAME));
  return { kind: 'user', name: user.userName, arn: user.arn };
}

async function roleHolder(session: StorageSession, accountId: string, flags: Flags): Promise<PolicyHolder> {
  const role = await requireRole(session.iam, accountId, requireValid('roleName', flags['role-name'], ROLE_NAME));
  return { kind: 'role', name: role.roleName, arn: role.arn };
}

const COMMANDS: Readonly<Record<string, Command>> = {
  'create-user': async ({ iam }, accountId, flags) =>
    createUser(iam, accountId, {
      userName: requireValid('userName', flags['user-name'], USER_NAME),
      path: optionalValid('path', flags.path, PATH) ?? '/',
    }),
  'delete-user': ({ iam }, accountId, flags) => deleteUser(iam, accountId, requireValid('userName', flags['user-name'], USER_NAME)),
  'list-users': ({ iam }, accountId) => listUsers(iam, accountId),
  'create-access-key': async (session, accountId, flags) => {
    const user = await requireUser(session.iam, accountId, requireValid('userName', flags['user-name'], USER_NAME));
    const { record, secret } = await createAccessKeyFor(session.iam, accountId, user);
    return { userName: user.userName, accessKeyId: record.accessKeyId, secretAccessKey: secret.expose().toString('utf8') };
  },
  'delete-access-key': async (session, accountId, flags) => {
    const accessKeyId = requireValid('accessKeyId', flags['access-key-id'], ACCESS_KEY_ID);
    return deleteAccessKeyOf(session.iam, (await userHolder(session, accountId, flags)).arn, accessKeyId);
  },
  'update-access-key': async (session, accountId, flags) => {
    const accessKeyId = requireValid('accessKeyId', flags['access-key-id'], ACCESS_KEY_ID);
    const status = requireAccessKeyStatus(flags.status);
    return setAccessKeyStatusOf(session.iam, (await userHolder(session, accountId, flags)).arn, accessKeyId, status);
  },
  'list-access-keys': async (session, accountId, flags) =>
    (await listAccessKeysOf(session.iam, (await userHolder(session, accountId, flags)).arn)).map((key) => ({
      accessKeyId: key.accessKeyId,
      status: key.status,
      createdAt: new Date(key.createdAt).toISOString(),
    })),
  'put-user-policy': async (session, accountId, flags) => {
    const policyName = requireValid('policyName', flags['policy-name'], POLICY_NAME);
    const policy = await document(flags['policy-document'], 'policyDocument');
    return putInlinePolicy(session.iam, await userHolder(session, accountId, flags), policyName, policy);
  },
  'delete-user-policy': async (session, accountId, flags) =>
    deleteInlinePolicy(session.iam, await userHolder(session, accountId, flags), requireValid('policyName', flags['policy-name'], POLICY_NAME)),
  'create-role': async ({ iam }, accountId, flags) => {
    const { min, max } = MAX_SESSION_DURATION_BOUNDS;
    const maxSessionDurationSeconds = optionalInteger('maxSessionDuration', flags['max-session-duration'], min, max);
    return createRole(iam, accountId, {
      roleName: requireValid('roleName', flags['role-name'], ROLE_NAME),
      path: optionalValid('path', flags.path, PATH) ?? '/',
      trustPolicy: await document(flags['assume-role-policy-document'], 'assumeRolePolicyDocument'),
      ...(flags.description !== undefined ? { description: flags.description } : {}),
      ...(maxSessionDurationSeconds !== undefined ? { maxSessionDurationSeconds } : {}),
    });
  },
  'delete-role': ({ iam }, accountId, flags) => deleteRole(iam, accountId, requireValid('roleName', flags['role-name'], ROLE_NAME)),
  'list-roles': ({ iam }, accountId) => listRoles(iam, accountId),
  'update-assume-role-policy': async ({ iam }, accountId, flags) =>
    updateTrustPolicy(iam, accountId, requireValid('roleName', flags['role-name'], ROLE_NAME), await document(flags['policy-document'], 'policyDocument')),
  'put-role-policy': async (session, accountId, flags) => {
    const policyName = requireValid('policyName', flags['policy-name'], POLICY_NAME);
    const policy = await document(flags['policy-document'], 'policyDocument');
    return putInlinePolicy(session.iam, await roleHolder(session, accountId, flags), policyName, policy);
  },
  'delete-role-policy': async (session, accountId, flags) =>
    deleteInlinePolicy(session.iam, await roleHolder(session, accountId, flags), requireValid('policyName', flags['policy-name'], POLICY_NAME)),
};

/**
 * `strongroom iam <command>`: the IAM operations of the query API, run as the account's root on a data
 * directory (for bootstrapping and for operators without credentials at hand). Prints the result as JSON.
 */
export async function runIamCommand(args: readonly string[], print: (text: string) => void): Promise<number> {
  const [name, ...rest] = args;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) throw new Error(`unknown iam command '${name ?? ''}' (${Object.keys(COMMANDS).join(', ')})`);
  const options = Object.fromEntries(FLAGS.map((flag) => [flag, { type: 'string' as const }]));
  const { values } = parseArgs({ args: [...rest], options, strict: true });
  const flags = values as Flags;
  const session = await openStorageSession(flags);
  try {
    const result = await command(session, await session.accountId(flags['account-id']), flags);
    if (result !== undefined) print(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    throw withErrorCode(error);
  } finally {
    await session.close();
  }
}
