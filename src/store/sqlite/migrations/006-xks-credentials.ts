import type Database from 'better-sqlite3';
import type { Migration } from './migration.js';

/**
 * Migration 6: the credentials of the XKS proxy API (ADR 0023, Decision 2).
 *
 * One row per credential: its access key id (20–30 characters of `[A-Z2-7]`, the XKS specification's), the account
 * and IAM user it acts as, its secret wrapped by the root of trust (AAD: the access key id), and when it was created
 * and last used. No reference to `iam_users`: like an access key's holder, the user is checked when the credential
 * is used, and a credential whose user is gone authenticates no one.
 */
const XKS_CREDENTIALS = `
  CREATE TABLE xks_credentials (
    access_key_id  TEXT    NOT NULL PRIMARY KEY,
    account_id     TEXT    NOT NULL,
    user_name      TEXT    NOT NULL,
    wrapped_secret BLOB    NOT NULL,
    created_at     INTEGER NOT NULL,
    last_used_at   INTEGER
  ) STRICT;
  CREATE INDEX xks_credentials_by_account ON xks_credentials (account_id, access_key_id);
`;

export const xksCredentials: Migration = {
  version: 6,
  name: 'XKS proxy credentials',
  apply(db: Database.Database): void {
    db.exec(XKS_CREDENTIALS);
  },
};
