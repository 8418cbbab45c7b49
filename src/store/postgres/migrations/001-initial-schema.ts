import type pg from 'pg';
import type { Migration } from './migration.js';

/**
 * Migration 1: the schema of SQLite's migrations 1–3 (keys, key materials, aliases, accounts, access keys,
 * settings; IAM users, roles and inline policies; grants), mapped to PostgreSQL with the same domain values:
 *
 * - Text that is compared or ordered is `COLLATE "C"`: byte order, as SQLite's BINARY and as AWS lists aliases
 *   (`alias/B` before `alias/a`), whatever the database's default collation.
 * - Times are `BIGINT` epoch milliseconds, bytes `BYTEA`, enums their AWS strings, never ordinals.
 * - A key is stored as its full record (JSON text with a `schemaVersion`, `../sqlite/key-record.ts`) beside the
 *   columns queries filter on. `TEXT`, not `JSONB`: the exact text Strongroom wrote, with nothing reordered or
 *   refused (`JSONB` rejects `\u0000`). The same goes for a grant's operations and constraints.
 * - IAM names are unique and found regardless of case, as IAM's are. SQLite's `COLLATE NOCASE` becomes a
 *   stored `lower()` of the name in the "C" collation — which, like NOCASE, folds ASCII letters only — under
 *   the primary key; the name itself is stored as given.
 * - `seq` columns (identity) order material versions and grants by creation.
 * - Key materials and grants cascade with their key. Aliases have no foreign key (an alias naming a missing
 *   key is the service's error to report): the key repository deletes them with their key.
 */
const INITIAL_SCHEMA = `
  CREATE TABLE keys (
    arn              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id       TEXT COLLATE "C" NOT NULL,
    region           TEXT COLLATE "C" NOT NULL,
    id               TEXT COLLATE "C" NOT NULL,
    state            TEXT   NOT NULL,
    deletion_at      BIGINT,
    next_rotation_at BIGINT,
    revision         BIGINT NOT NULL,
    record           TEXT   NOT NULL,
    UNIQUE (account_id, region, id)
  );
  CREATE INDEX keys_by_deletion ON keys (state, deletion_at);
  CREATE INDEX keys_by_next_rotation ON keys (next_rotation_at);

  CREATE TABLE key_materials (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_arn       TEXT COLLATE "C" NOT NULL REFERENCES keys (arn) ON DELETE CASCADE,
    id            TEXT COLLATE "C" NOT NULL,
    created_at    BIGINT NOT NULL,
    rotation_type TEXT,
    wrapped       BYTEA  NOT NULL,
    public_key    BYTEA,
    UNIQUE (key_arn, id)
  );
  CREATE INDEX key_materials_by_key ON key_materials (key_arn, seq);

  CREATE TABLE aliases (
    account_id    TEXT COLLATE "C" NOT NULL,
    region        TEXT COLLATE "C" NOT NULL,
    name          TEXT COLLATE "C" NOT NULL,
    target_key_id TEXT COLLATE "C" NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (account_id, region, name)
  );
  CREATE INDEX aliases_by_target ON aliases (account_id, region, target_key_id, name);

  CREATE TABLE accounts (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL
  );

  CREATE TABLE access_keys (
    access_key_id      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id         TEXT COLLATE "C" NOT NULL,
    principal_arn      TEXT COLLATE "C" NOT NULL,
    principal_type     TEXT   NOT NULL,
    principal_id       TEXT   NOT NULL,
    user_name          TEXT,
    wrapped_secret     BYTEA  NOT NULL,
    status             TEXT   NOT NULL,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT,
    session_token_hash BYTEA
  );
  CREATE INDEX access_keys_by_principal ON access_keys (principal_arn, created_at, access_key_id);
  CREATE INDEX access_keys_by_expiry ON access_keys (expires_at) WHERE expires_at IS NOT NULL;

  CREATE TABLE settings (
    name  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE iam_users (
    account_id       TEXT COLLATE "C" NOT NULL,
    user_name        TEXT COLLATE "C" NOT NULL,
    user_name_folded TEXT COLLATE "C" NOT NULL GENERATED ALWAYS AS (lower(user_name)) STORED,
    user_id          TEXT COLLATE "C" NOT NULL UNIQUE,
    arn              TEXT   NOT NULL,
    path             TEXT   NOT NULL,
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (account_id, user_name_folded)
  );

  CREATE TABLE iam_roles (
    account_id                   TEXT COLLATE "C" NOT NULL,
    role_name                    TEXT COLLATE "C" NOT NULL,
    role_name_folded             TEXT COLLATE "C" NOT NULL GENERATED ALWAYS AS (lower(role_name)) STORED,
    role_id                      TEXT COLLATE "C" NOT NULL UNIQUE,
    arn                          TEXT    NOT NULL,
    path                         TEXT    NOT NULL,
    trust_policy                 TEXT    NOT NULL,
    description                  TEXT,
    max_session_duration_seconds INTEGER NOT NULL,
    created_at                   BIGINT  NOT NULL,
    PRIMARY KEY (account_id, role_name_folded)
  );

  CREATE TABLE iam_inline_policies (
    principal_arn      TEXT COLLATE "C" NOT NULL,
    policy_name        TEXT COLLATE "C" NOT NULL,
    policy_name_folded TEXT COLLATE "C" NOT NULL GENERATED ALWAYS AS (lower(policy_name)) STORED,
    document           TEXT NOT NULL,
    PRIMARY KEY (principal_arn, policy_name_folded)
  );

  CREATE TABLE grants (
    seq                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_arn            TEXT COLLATE "C" NOT NULL REFERENCES keys (arn) ON DELETE CASCADE,
    grant_id           TEXT COLLATE "C" NOT NULL,
    name               TEXT,
    grantee_principal  TEXT   NOT NULL,
    retiring_principal TEXT COLLATE "C",
    operations         TEXT   NOT NULL,
    constraints        TEXT,
    issuing_account    TEXT   NOT NULL,
    created_at         BIGINT NOT NULL,
    token_hash         BYTEA  NOT NULL UNIQUE,
    UNIQUE (key_arn, grant_id)
  );
  CREATE INDEX grants_by_key ON grants (key_arn, seq);
  CREATE INDEX grants_by_retiring_principal ON grants (retiring_principal, seq);
`;

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema: keys, aliases, identities, IAM principals, grants, settings',
  async apply(client: pg.PoolClient): Promise<void> {
    await client.query(INITIAL_SCHEMA);
  },
};
