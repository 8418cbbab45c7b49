import { closeSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { AuditRecordColumns } from '../store/audit-store.js';
import { KMS_KEY_RESOURCE_TYPE, parseEventTime, type CloudTrailEvent } from './event.js';

/** A handle on the audit database (`<data-dir>/audit.db`), separate from the key store. */
export type AuditDatabase = Database.Database;

/** Options of {@link openAuditDatabase}. */
export interface OpenAuditDatabaseOptions {
  /** Open read-only (verification, lookups from a CLI); the file must exist. */
  readonly readonly?: boolean;
  /** How long a write waits for another process's transaction before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
}

/**
 * The layout's version, in `audit_meta`. 1: resource rows held the resource's type and ARN as text, twice over
 * (row and index: ~230 bytes a record of the ~1,900 a typical Encrypt took). 2: each resource is named once
 * (`audit_resource_names`) and a record's resources are narrow rows (`audit_resource_refs`); `audit_resources`
 * is a view with the old columns, so readers (LookupEvents, GetKeyLastUsage, verification, retention, the CLI)
 * read both layouts alike. A version-1 database is migrated when it is opened for writing.
 */
const SCHEMA_VERSION = '2';

/**
 * New databases get 8 KiB pages (SQLite's default is 4 KiB): a record is its event JSON (1–5 KB with encryption
 * contexts) plus ~250 bytes of columns, and 4 KiB pages held one record of 2.3 KB of JSON each (4.6 KB a record,
 * measured; 3.3 KB with 8 KiB pages). An existing database keeps its page size (changing it rewrites the file).
 */
const NEW_DATABASE_PAGE_SIZE = 8192;

/** The name SQLite gives a database that lives in memory only, on its one connection. */
export const IN_MEMORY_DATABASE = ':memory:';

/** Past this size the WAL file is cut back to it whenever SQLite restarts it (after a complete checkpoint). */
export const WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024;

/*
 * audit_records holds the hash chain (writer, seq, prev_hash, hash, event_json) and, beside it, lookup columns
 * derived from event_json. Only event_json is covered by the hash; verification recomputes the lookup columns
 * and reports a record whose columns were edited. There is deliberately no UNIQUE(writer, seq): a duplicated
 * seq is a tampering pattern that verification must be able to see and report, not a write error.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS audit_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_records (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  writer TEXT NOT NULL, seq INTEGER NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL,
  event_json TEXT NOT NULL,
  event_time INTEGER NOT NULL, event_id TEXT NOT NULL, event_name TEXT NOT NULL, read_only TEXT NOT NULL,
  username TEXT, access_key_id TEXT, event_source TEXT NOT NULL, account_id TEXT NOT NULL, error_code TEXT
);
-- Lookup indexes only where they select: every record's event source is kms.amazonaws.com, every resource is
-- an AWS::KMS::Key and ReadOnly has two values, so those lookups walk the time index instead. Each index costs
-- every insert and its bytes: each one below serves a LookupEvents attribute, the chain (writer, seq) serves
-- indexing, verification and retention.
CREATE INDEX IF NOT EXISTS audit_records_chain ON audit_records (writer, seq);
CREATE INDEX IF NOT EXISTS audit_records_time ON audit_records (account_id, event_time, id);
CREATE INDEX IF NOT EXISTS audit_records_event_id ON audit_records (account_id, event_id);
CREATE INDEX IF NOT EXISTS audit_records_event_name ON audit_records (account_id, event_name, event_time, id);
CREATE INDEX IF NOT EXISTS audit_records_username ON audit_records (account_id, username, event_time, id);
CREATE INDEX IF NOT EXISTS audit_records_access_key ON audit_records (account_id, access_key_id, event_time, id);
CREATE TABLE IF NOT EXISTS audit_digests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  writer TEXT NOT NULL, from_seq INTEGER NOT NULL, to_seq INTEGER NOT NULL, first_prev_hash BLOB NOT NULL,
  last_hash BLOB NOT NULL, record_hashes BLOB NOT NULL, time INTEGER NOT NULL, prev_signature_hash BLOB NOT NULL,
  signature BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_digests_chain ON audit_digests (writer, from_seq);
CREATE TABLE IF NOT EXISTS audit_retention (
  writer TEXT PRIMARY KEY, through_seq INTEGER NOT NULL, last_hash BLOB NOT NULL,
  last_signature_hash BLOB NOT NULL, cutoff INTEGER NOT NULL, time INTEGER NOT NULL, signature BLOB NOT NULL
);
`;

/*
 * Version 2's resources. A resource's ARN is stored once; a record's use of it is a narrow row, kept in the order
 * the lookups by resource (LookupEvents' ResourceName, GetKeyLastUsage) read it, so that the table is its own
 * index. The type is NULL for AWS::KMS::Key (every resource KMS names), so it costs a byte; it is kept per row,
 * not per name, so that whatever a record says is stored as it says it. The second index finds a record's
 * resources (ResourceType, the CLI's --key, verification, retention). The view gives the version-1 columns; its
 * triggers let a row be deleted (retention) or added through it.
 */
const RESOURCES_DDL = `
CREATE TABLE audit_resource_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE audit_resource_refs (
  resource_id INTEGER NOT NULL, event_time INTEGER NOT NULL, record_id INTEGER NOT NULL, resource_type TEXT,
  PRIMARY KEY (resource_id, event_time, record_id)
) WITHOUT ROWID;
CREATE INDEX audit_resource_refs_record ON audit_resource_refs (record_id);
CREATE VIEW audit_resources (record_id, resource_type, resource_name, event_time) AS
  SELECT r.record_id, coalesce(r.resource_type, '${KMS_KEY_RESOURCE_TYPE}'), n.name, r.event_time
  FROM audit_resource_refs r JOIN audit_resource_names n ON n.id = r.resource_id;
CREATE TRIGGER audit_resources_delete INSTEAD OF DELETE ON audit_resources BEGIN
  DELETE FROM audit_resource_refs WHERE record_id = OLD.record_id AND event_time = OLD.event_time
    AND resource_id = (SELECT id FROM audit_resource_names WHERE name = OLD.resource_name);
END;
CREATE TRIGGER audit_resources_insert INSTEAD OF INSERT ON audit_resources BEGIN
  INSERT OR IGNORE INTO audit_resource_names (name) VALUES (NEW.resource_name);
  INSERT OR IGNORE INTO audit_resource_refs (resource_id, event_time, record_id, resource_type)
    SELECT id, NEW.event_time, NEW.record_id, nullif(NEW.resource_type, '${KMS_KEY_RESOURCE_TYPE}')
    FROM audit_resource_names WHERE name = NEW.resource_name;
END;
`;

/** Version 1 → 2: the resource rows move to the narrow tables (a few bytes each), and the old table goes. */
const MIGRATE_1_TO_2 = `
ALTER TABLE audit_resources RENAME TO audit_resources_v1;
${RESOURCES_DDL}
INSERT OR IGNORE INTO audit_resource_names (name) SELECT resource_name FROM audit_resources_v1;
INSERT OR IGNORE INTO audit_resource_refs (resource_id, event_time, record_id, resource_type)
  SELECT n.id, r.event_time, r.record_id, nullif(r.resource_type, '${KMS_KEY_RESOURCE_TYPE}')
  FROM audit_resources_v1 r JOIN audit_resource_names n ON n.name = r.resource_name;
DROP TABLE audit_resources_v1;
`;

/**
 * Opens (creating when absent) the audit database: WAL, `synchronous=FULL` (a commit is on disk when it
 * returns), a busy timeout so that several server processes can append to one file. Opened for writing, an
 * older layout is migrated (in one transaction, whichever process gets there first).
 *
 * @example
 *   const db = openAuditDatabase(join(dataDir, 'audit.db'));
 */
export function openAuditDatabase(path: string, options: OpenAuditDatabaseOptions = {}): AuditDatabase {
  const readonly = options.readonly === true;
  // Records name principals and carry encryption contexts: readable by the server's user only (SQLite gives
  // the -wal and -shm files the database file's mode).
  // The path is ':memory:' for an ephemeral server's trail (memory-audit-log.ts): no file to create.
  if (!readonly && path !== IN_MEMORY_DATABASE) closeSync(openSync(path, 'a', 0o600));
  const db = new Database(path, { readonly, fileMustExist: readonly });
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  if (!readonly) {
    db.pragma(`page_size = ${NEW_DATABASE_PAGE_SIZE}`); // only a database not yet written takes it
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    db.transaction(() => createOrMigrate(db)).immediate();
  }
  return db;
}

function createOrMigrate(db: AuditDatabase): void {
  db.exec(DDL);
  const version = db.prepare("SELECT value FROM audit_meta WHERE name = 'schema_version'").pluck().get() as string | undefined;
  if (version === SCHEMA_VERSION) return;
  if (version === undefined) db.exec(RESOURCES_DDL);
  else if (version === '1') db.exec(MIGRATE_1_TO_2);
  else throw new Error(`the audit database has layout version ${version}, which this version of Strongroom does not know`);
  db.prepare("INSERT OR REPLACE INTO audit_meta (name, value) VALUES ('schema_version', ?)").run(SCHEMA_VERSION);
}

/**
 * Checkpoints the WAL into the database and truncates it to nothing when it has grown past
 * WAL_SIZE_LIMIT_BYTES (an import of a large backlog writes every page it changes to the WAL first; SQLite's own
 * checkpoints copy them back but leave the file as large as it grew). Blocks until other connections' readers
 * and writers let it finish, up to the busy timeout: call it where that wait is harmless (the indexing thread,
 * after it has answered; a start). Returns whether it truncated.
 */
export function checkpointLargeWal(db: AuditDatabase): boolean {
  let size: number;
  try {
    size = statSync(`${db.name}-wal`).size;
  } catch {
    return false;
  }
  if (size <= WAL_SIZE_LIMIT_BYTES) return false;
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  return result?.busy === 0;
}

/** The lookup columns of a record, derived from its event (and recomputed by verification): the audit store's row. */
export type IndexColumns = AuditRecordColumns;

/** Derives the lookup columns of `event`, as LookupEvents defines its attributes. */
export function indexColumnsOf(event: CloudTrailEvent): IndexColumns {
  return {
    eventTime: parseEventTime(event.eventTime),
    eventId: event.eventID,
    eventName: event.eventName,
    readOnly: event.readOnly ? 'true' : 'false',
    username: usernameOf(event),
    accessKeyId: event.userIdentity.accessKeyId ?? null,
    eventSource: event.eventSource,
    accountId: event.recipientAccountId,
    errorCode: event.errorCode ?? null,
    resources: distinctResources(event),
  };
}

/** The event's resources, each (type, name) once: ReEncrypt under one key names it twice. */
function distinctResources(event: CloudTrailEvent): { type: string; name: string }[] {
  const seen = new Map<string, { type: string; name: string }>();
  for (const resource of event.resources ?? []) {
    const type = resource.type ?? KMS_KEY_RESOURCE_TYPE;
    seen.set(`${type}|${resource.ARN}`, { type, name: resource.ARN });
  }
  return [...seen.values()];
}

/**
 * LookupEvents' `Username`: the IAM user's name, the role session name of an assumed role, `root` for the
 * account's root user; nothing for background work.
 */
export function usernameOf(event: CloudTrailEvent): string | null {
  const identity = event.userIdentity;
  if (identity.userName !== undefined) return identity.userName;
  if (identity.type === 'Root') return 'root';
  if ((identity.type === 'AssumedRole' || identity.type === 'FederatedUser') && identity.arn !== undefined) {
    return identity.arn.slice(identity.arn.lastIndexOf('/') + 1);
  }
  return null;
}
