import type { AccessKey, PrincipalType } from '../store.js';

/** An `access_keys` row as both backends return it (bytes as Buffers, absent values as null). */
export interface AccessKeyRow {
  readonly access_key_id: string;
  readonly account_id: string;
  readonly principal_arn: string;
  readonly principal_type: string;
  readonly principal_id: string;
  readonly user_name: string | null;
  readonly wrapped_secret: Buffer;
  readonly status: string;
  readonly created_at: number;
  readonly expires_at: number | null;
  readonly session_token_hash: Buffer | null;
}

export const ACCESS_KEY_COLUMNS =
  'access_key_id, account_id, principal_arn, principal_type, principal_id, user_name, wrapped_secret, status, ' +
  'created_at, expires_at, session_token_hash';

/** The values of an `access_keys` insert, in `ACCESS_KEY_COLUMNS` order. */
export type AccessKeyValues = [
  string, string, string, string, string, string | null, Buffer, string, number, number | null, Buffer | null,
];

export function accessKeyValues(key: AccessKey): AccessKeyValues {
  return [
    key.accessKeyId,
    key.accountId,
    key.principalArn,
    key.principalType,
    key.principalId,
    key.userName ?? null,
    key.wrappedSecret,
    key.status,
    key.createdAt,
    key.expiresAt ?? null,
    key.sessionTokenHash ?? null,
  ];
}

/** The access key a row holds; optional fields stored as null come back absent. */
export function accessKeyFromRow(row: AccessKeyRow): AccessKey {
  return {
    accessKeyId: row.access_key_id,
    accountId: row.account_id,
    principalArn: row.principal_arn,
    principalType: row.principal_type as PrincipalType,
    principalId: row.principal_id,
    ...(row.user_name === null ? {} : { userName: row.user_name }),
    wrappedSecret: row.wrapped_secret,
    status: row.status as AccessKey['status'],
    createdAt: row.created_at,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    ...(row.session_token_hash === null ? {} : { sessionTokenHash: row.session_token_hash }),
  };
}
