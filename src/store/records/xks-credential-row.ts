import type { XksCredential } from '../store.js';

/** An `xks_credentials` row as both backends return it (bytes as Buffers, absent values as null). */
export interface XksCredentialRow {
  readonly access_key_id: string;
  readonly account_id: string;
  readonly user_name: string;
  readonly wrapped_secret: Buffer;
  readonly created_at: number;
  readonly last_used_at: number | null;
}

export const XKS_CREDENTIAL_COLUMNS = 'access_key_id, account_id, user_name, wrapped_secret, created_at, last_used_at';

/** The values of an `xks_credentials` insert, in `XKS_CREDENTIAL_COLUMNS` order. */
export type XksCredentialValues = [string, string, string, Buffer, number, number | null];

export function xksCredentialValues(credential: XksCredential): XksCredentialValues {
  return [
    credential.accessKeyId,
    credential.accountId,
    credential.userName,
    credential.wrappedSecret,
    credential.createdAt,
    credential.lastUsedAt ?? null,
  ];
}

/** The credential a row holds; `last_used_at` stored as null comes back absent. */
export function xksCredentialFromRow(row: XksCredentialRow): XksCredential {
  return {
    accessKeyId: row.access_key_id,
    accountId: row.account_id,
    userName: row.user_name,
    wrappedSecret: row.wrapped_secret,
    createdAt: row.created_at,
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
  };
}
