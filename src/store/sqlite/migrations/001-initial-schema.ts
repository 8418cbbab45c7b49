import type Database from 'better-sqlite3';
import type { Migration } from './migration.js';

/**
 * Migration 1: the initial schema.
 *
 * Tables are `STRICT` so a wrong type is an error rather than a silent conversion. Enums are stored as their
 * AWS strings, never ordinals. A key is stored as its full record (JSON with a `schemaVersion`, upgraded
 * on load by `key-record.ts`) beside the columns that queries filter on; both are written by one statement,
 * so they cannot disagree. Key material rows cascade with their key; aliases are deleted explicitly by the
 * key repository (no foreign key: an alias naming a missing key is the service's error to report, not a
 * constraint failure).
 */
const INITIAL_SCHEMA = `
  CREATE TABLE keys (
    arn              TEXT    NOT NULL PRIMARY KEY,
    account_id       TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    id               TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    deletion_at      INTEGER,
    next_rotation_at INTEGER,
    revision         INTEGER NOT NULL,
    record           TEXT    NOT NULL,
    UNIQUE (account_id, region, id)
  ) STRICT;
  CREATE INDEX keys_by_deletion ON keys (state, deletion_at);
  CREATE INDEX keys_by_next_rotation ON keys (next_rotation_at);

  CREATE TABLE key_materials (
    seq           INTEGER NOT NULL PRIMARY KEY,
    key_arn       TEXT    NOT NULL REFERENCES keys (arn) ON DELETE CASCADE,
    id            TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    rotation_type TEXT,
    wrapped       BLOB    NOT NULL,
    public_key    BLOB,
    UNIQUE (key_arn, id)
  ) STRICT;

  CREATE TABLE aliases (
    account_id    TEXT    NOT NULL,
    region        TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    target_key_id TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, name)
  ) STRICT;
  CREATE INDEX aliases_by_target ON aliases (account_id, region, target_key_id, name);

  CREATE TABLE accounts (
    id         TEXT    NOT NULL PRIMARY KEY,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE access_keys (
    access_key_id      TEXT    NOT NULL PRIMARY KEY,
    account_id         TEXT    NOT NULL,
    principal_arn      TEXT    NOT NULL,
    principal_type     TEXT    NOT NULL,
    principal_id       TEXT    NOT NULL,
    user_name          TEXT,
    wrapped_secret     BLOB    NOT NULL,
    status             TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER,
    session_token_hash BLOB
  ) STRICT;
  CREATE INDEX access_keys_by_principal ON access_keys (principal_arn, created_at, access_key_id);

  CREATE TABLE settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
`;

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  apply(db: Database.Database): void {
    db.exec(INITIAL_SCHEMA);
  },
};
