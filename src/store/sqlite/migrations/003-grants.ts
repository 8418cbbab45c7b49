import type Database from 'better-sqlite3';
import type { Migration } from './migration.js';

/**
 * Migration 3: KMS grants.
 *
 * A grant belongs to one key and goes with it (`ON DELETE CASCADE`). `seq` orders grants by creation, which
 * is the order ListGrants and ListRetirableGrants page in. Operations and constraints are JSON (AWS enum
 * values verbatim). The grant token is never stored, only its SHA-256 digest (`token_hash`), unique so a
 * token finds its grant with one index probe.
 */
const GRANTS_SCHEMA = `
  CREATE TABLE grants (
    seq                INTEGER NOT NULL PRIMARY KEY,
    key_arn            TEXT    NOT NULL REFERENCES keys (arn) ON DELETE CASCADE,
    grant_id           TEXT    NOT NULL,
    name               TEXT,
    grantee_principal  TEXT    NOT NULL,
    retiring_principal TEXT,
    operations         TEXT    NOT NULL,
    constraints        TEXT,
    issuing_account    TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    token_hash         BLOB    NOT NULL UNIQUE,
    UNIQUE (key_arn, grant_id)
  ) STRICT;
  CREATE INDEX grants_by_key ON grants (key_arn, seq);
  CREATE INDEX grants_by_retiring_principal ON grants (retiring_principal, seq);
`;

export const grantsSchema: Migration = {
  version: 3,
  name: 'grants',
  apply(db: Database.Database): void {
    db.exec(GRANTS_SCHEMA);
  },
};
