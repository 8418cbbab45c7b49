import type pg from 'pg';
import type { Migration } from './migration.js';

/**
 * Migration 3: the audit trail (ADR 0017), with the tables, columns and meaning of SQLite's `audit.db`
 * (`src/audit/audit-database.ts`), so that the audit reads (LookupEvents, GetKeyLastUsage, verification,
 * retention, the CLI) are the same SQL on both:
 *
 * - `audit_records`: the hash chain (writer, seq, prev_hash, hash, event_json — the JSON exactly as hashed, `TEXT`
 *   not `JSONB`) and the lookup columns derived from it, which verification recomputes. No UNIQUE(writer, seq):
 *   a duplicated seq is a tampering pattern verification must see, not a write error.
 * - `audit_resources`: one row per (record, resource), kept in the order the lookups by resource read it. A plain
 *   table here; SQLite stores names once behind a view of the same columns (its file size mattered there).
 * - `audit_digests`, `audit_retention`: signed digests and retention markers, per writer.
 *
 * Compared text is `COLLATE "C"` (byte order, as SQLite), times `BIGINT` epoch milliseconds, hashes and
 * signatures `BYTEA`. Ids are identities: unlike SQLite's they are not handed out in commit order across nodes,
 * which only `audit tail --follow` cares about (it looks back). The indexes are SQLite's: each serves a
 * LookupEvents attribute, the chain index serves verification, retention and a writer's resumption.
 */
const AUDIT_SCHEMA = `
  CREATE TABLE audit_records (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    writer        TEXT COLLATE "C" NOT NULL,
    seq           BIGINT NOT NULL,
    prev_hash     BYTEA  NOT NULL,
    hash          BYTEA  NOT NULL,
    event_json    TEXT   NOT NULL,
    event_time    BIGINT NOT NULL,
    event_id      TEXT COLLATE "C" NOT NULL,
    event_name    TEXT COLLATE "C" NOT NULL,
    read_only     TEXT COLLATE "C" NOT NULL,
    username      TEXT COLLATE "C",
    access_key_id TEXT COLLATE "C",
    event_source  TEXT COLLATE "C" NOT NULL,
    account_id    TEXT COLLATE "C" NOT NULL,
    error_code    TEXT COLLATE "C"
  );
  CREATE INDEX audit_records_chain ON audit_records (writer, seq);
  CREATE INDEX audit_records_time ON audit_records (account_id, event_time, id);
  CREATE INDEX audit_records_event_id ON audit_records (account_id, event_id);
  CREATE INDEX audit_records_event_name ON audit_records (account_id, event_name, event_time, id);
  CREATE INDEX audit_records_username ON audit_records (account_id, username, event_time, id);
  CREATE INDEX audit_records_access_key ON audit_records (account_id, access_key_id, event_time, id);

  CREATE TABLE audit_resources (
    resource_name TEXT COLLATE "C" NOT NULL,
    event_time    BIGINT NOT NULL,
    record_id     BIGINT NOT NULL,
    resource_type TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (resource_name, event_time, record_id, resource_type)
  );
  CREATE INDEX audit_resources_record ON audit_resources (record_id);

  CREATE TABLE audit_digests (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    writer              TEXT COLLATE "C" NOT NULL,
    from_seq            BIGINT NOT NULL,
    to_seq              BIGINT NOT NULL,
    first_prev_hash     BYTEA  NOT NULL,
    last_hash           BYTEA  NOT NULL,
    record_hashes       BYTEA  NOT NULL,
    time                BIGINT NOT NULL,
    prev_signature_hash BYTEA  NOT NULL,
    signature           BYTEA  NOT NULL
  );
  CREATE INDEX audit_digests_chain ON audit_digests (writer, from_seq);

  CREATE TABLE audit_retention (
    writer              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    through_seq         BIGINT NOT NULL,
    last_hash           BYTEA  NOT NULL,
    last_signature_hash BYTEA  NOT NULL,
    cutoff              BIGINT NOT NULL,
    time                BIGINT NOT NULL,
    signature           BYTEA  NOT NULL
  );
`;

export const auditTrail: Migration = {
  version: 3,
  name: 'audit trail: records, resources, digests, retention markers',
  async apply(client: pg.PoolClient): Promise<void> {
    await client.query(AUDIT_SCHEMA);
  },
};
