import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
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

const SCHEMA_VERSION = '1';

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
-- every append (the hot path), not just lookups.
CREATE INDEX IF NOT EXISTS audit_records_chain ON audit_records (writer, seq);
CREATE INDEX IF NOT EXISTS audit_records_time ON audit_records (account_id, event_time, id);
CREATE INDEX IF NOT EXISTS audit_records_event_id ON audit_records (account_id, event_id);
CREATE INDEX IF NOT EXISTS audit_records_event_name ON audit_records (account_id, event_name, event_time, id);
CREATE INDEX IF NOT EXISTS audit_records_username ON audit_records (account_id, username, event_time, id);
CREATE INDEX IF NOT EXISTS audit_records_access_key ON audit_records (account_id, access_key_id, event_time, id);
CREATE TABLE IF NOT EXISTS audit_resources (
  record_id INTEGER NOT NULL, resource_type TEXT NOT NULL, resource_name TEXT NOT NULL, event_time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_resources_name ON audit_resources (resource_name, event_time, record_id);
CREATE INDEX IF NOT EXISTS audit_resources_record ON audit_resources (record_id);
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

/**
 * Opens (creating when absent) the audit database: WAL, `synchronous=FULL` (a commit is on disk when it
 * returns), a busy timeout so that several server processes can append to one file.
 *
 * @example
 *   const db = openAuditDatabase(join(dataDir, 'audit.db'));
 */
export function openAuditDatabase(path: string, options: OpenAuditDatabaseOptions = {}): AuditDatabase {
  const readonly = options.readonly === true;
  // Records name principals and carry encryption contexts: readable by the server's user only (SQLite gives
  // the -wal and -shm files the database file's mode).
  if (!readonly) closeSync(openSync(path, 'a', 0o600));
  const db = new Database(path, { readonly, fileMustExist: readonly });
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(DDL);
    db.prepare('INSERT OR IGNORE INTO audit_meta (name, value) VALUES (?, ?)').run('schema_version', SCHEMA_VERSION);
  }
  return db;
}

/** The lookup columns of a record, derived from its event (and recomputed by verification). */
export interface IndexColumns {
  readonly eventTime: number;
  readonly eventId: string;
  readonly eventName: string;
  readonly readOnly: 'true' | 'false';
  readonly username: string | null;
  readonly accessKeyId: string | null;
  readonly eventSource: string;
  readonly accountId: string;
  readonly errorCode: string | null;
  /** Resource names (key ARNs) with their type. */
  readonly resources: readonly { readonly type: string; readonly name: string }[];
}

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
