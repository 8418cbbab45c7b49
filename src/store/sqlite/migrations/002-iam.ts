import type Database from 'better-sqlite3';
import type { Migration } from './migration.js';

/**
 * Migration 2: IAM users, roles and inline identity policies.
 *
 * IAM names are unique per account regardless of case ("you cannot create users named both TESTUSER and
 * testuser"), so the uniqueness constraints use `COLLATE NOCASE`; the name is stored as it was given.
 * Inline policies are keyed by their holder's ARN, which is what authorization looks them up by. A user or
 * role is deleted only after its policies and access keys (the IAM API refuses otherwise), so there are no
 * cascades to surprise anyone.
 */
const IAM_SCHEMA = `
  CREATE TABLE iam_users (
    account_id TEXT    NOT NULL,
    user_name  TEXT    NOT NULL COLLATE NOCASE,
    user_id    TEXT    NOT NULL UNIQUE,
    arn        TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, user_name)
  ) STRICT;

  CREATE TABLE iam_roles (
    account_id                   TEXT    NOT NULL,
    role_name                    TEXT    NOT NULL COLLATE NOCASE,
    role_id                      TEXT    NOT NULL UNIQUE,
    arn                          TEXT    NOT NULL,
    path                         TEXT    NOT NULL,
    trust_policy                 TEXT    NOT NULL,
    description                  TEXT,
    max_session_duration_seconds INTEGER NOT NULL,
    created_at                   INTEGER NOT NULL,
    PRIMARY KEY (account_id, role_name)
  ) STRICT;

  CREATE TABLE iam_inline_policies (
    principal_arn TEXT NOT NULL,
    policy_name   TEXT NOT NULL COLLATE NOCASE,
    document      TEXT NOT NULL,
    PRIMARY KEY (principal_arn, policy_name)
  ) STRICT;
`;

export const iamSchema: Migration = {
  version: 2,
  name: 'IAM users, roles and inline policies',
  apply(db: Database.Database): void {
    db.exec(IAM_SCHEMA);
  },
};
