import type { IamRole, IamUser } from '../store.js';

/** An `iam_users` row as both backends return it. */
export interface IamUserRow {
  readonly account_id: string;
  readonly user_name: string;
  readonly user_id: string;
  readonly arn: string;
  readonly path: string;
  readonly created_at: number;
}

export const IAM_USER_COLUMNS = 'account_id, user_name, user_id, arn, path, created_at';

/** The values of an `iam_users` insert, in `IAM_USER_COLUMNS` order. */
export type IamUserValues = [string, string, string, string, string, number];

export function iamUserValues(user: IamUser): IamUserValues {
  return [user.accountId, user.userName, user.userId, user.arn, user.path, user.createdAt];
}

export function iamUserFromRow(row: IamUserRow): IamUser {
  return {
    accountId: row.account_id,
    userName: row.user_name,
    userId: row.user_id,
    arn: row.arn,
    path: row.path,
    createdAt: row.created_at,
  };
}

/** An `iam_roles` row as both backends return it (absent values as null). */
export interface IamRoleRow {
  readonly account_id: string;
  readonly role_name: string;
  readonly role_id: string;
  readonly arn: string;
  readonly path: string;
  readonly trust_policy: string;
  readonly description: string | null;
  readonly max_session_duration_seconds: number;
  readonly created_at: number;
}

export const IAM_ROLE_COLUMNS =
  'account_id, role_name, role_id, arn, path, trust_policy, description, max_session_duration_seconds, created_at';

/** The values of an `iam_roles` insert, in `IAM_ROLE_COLUMNS` order. */
export type IamRoleValues = [string, string, string, string, string, string, string | null, number, number];

export function iamRoleValues(role: IamRole): IamRoleValues {
  return [
    role.accountId,
    role.roleName,
    role.roleId,
    role.arn,
    role.path,
    role.trustPolicy,
    role.description ?? null,
    role.maxSessionDurationSeconds,
    role.createdAt,
  ];
}

/** The role a row holds; a description stored as null comes back absent. */
export function iamRoleFromRow(row: IamRoleRow): IamRole {
  return {
    accountId: row.account_id,
    roleName: row.role_name,
    roleId: row.role_id,
    arn: row.arn,
    path: row.path,
    trustPolicy: row.trust_policy,
    ...(row.description === null ? {} : { description: row.description }),
    maxSessionDurationSeconds: row.max_session_duration_seconds,
    createdAt: row.created_at,
  };
}
