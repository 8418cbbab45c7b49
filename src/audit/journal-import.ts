import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { checkpointLargeWal, indexColumnsOf, openAuditDatabase, type AuditDatabase, type IndexColumns } from './audit-database.js';
import { KMS_KEY_RESOURCE_TYPE, type CloudTrailEvent } from './event.js';
import { insertDigest, type Digest } from './digest.js';
import {
  isJournalFileOf, isOrphaned, journalDirectoryOf, listJournalFiles, parseJournalDigest, removeJournalFile, type JournalHeader,
} from './journal.js';
import type { ChainRecord } from './verify-writer.js';

/** A record as read back from a journal. */
export interface JournalRecord {
  readonly seq: number;
  readonly prevHash: Buffer;
  readonly hash: Buffer;
  readonly json: string;
}

/**
 * What one import transaction stored: its records, by writer in chain order, and the range of row ids they took.
 * Every row in that range is one of them: the transaction held the database's write lock while it inserted.
 */
export interface StoredChunk {
  readonly firstId: number;
  readonly lastId: number;
  readonly records: ReadonlyMap<string, readonly ChainRecord[]>;
}

/** Options of JournalImporter.import. */
export interface ImportOptions {
  /** Remove the journals of processes that have ended, once imported. */
  readonly removeOrphans?: boolean;
  /** Read only this writer's journal files. */
  readonly writer?: string;
  /** Called in each transaction that stored something, before it commits. */
  readonly onStored?: (chunk: StoredChunk) => void;
  /** Called when a transaction rolled back after `onStored` was called in it. */
  readonly onRolledBack?: () => void;
}

/**
 * A record line as read: its seq at once, the rest (hashes, event JSON) decoded only when the record is imported.
 * Most lines another process's import reads are records already in the database, skipped by their seq: decoding
 * them (a kilobyte of UTF-8 each, two hex hashes) was most of what reading a journal cost (issue #19).
 */
class RecordLine {
  constructor(
    readonly seq: number,
    /** The bytes read from the file, the line between `start` (after the seq and its space) and `end` (its newline). */
    private readonly bytes: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}

  /** The record, or undefined when the rest of the line is not `<prev hash hex> <hash hex> <event JSON>`. */
  decode(): JournalRecord | undefined {
    const { bytes, start, end } = this;
    const hashAt = start + HEX_HASH_LENGTH + 1;
    const jsonAt = hashAt + HEX_HASH_LENGTH + 1;
    if (jsonAt > end || bytes[hashAt - 1] !== SPACE || bytes[jsonAt - 1] !== SPACE) return undefined;
    if (!isLowerHex(bytes, start, hashAt - 1) || !isLowerHex(bytes, hashAt, jsonAt - 1)) return undefined;
    return {
      seq: this.seq,
      prevHash: Buffer.from(bytes.toString('latin1', start, hashAt - 1), 'hex'),
      hash: Buffer.from(bytes.toString('latin1', hashAt, jsonAt - 1), 'hex'),
      json: bytes.toString('utf8', jsonAt, end),
    };
  }
}

/** A journal line: a record, or a digest. */
type JournalEntry = { readonly record: RecordLine } | { readonly digest: Digest };

const SPACE = 0x20;
const NEWLINE = 0x0a;
const HEX_HASH_LENGTH = 64;

/** What one read of a journal file found: its header, its complete new lines, and the offset after them. */
interface JournalRead {
  readonly header: JournalHeader;
  readonly entries: readonly JournalEntry[];
  readonly offset: number;
}

const READ_CHUNK = 256 * 1024;

/** Journal lines (records and digests) per import transaction: ~10 MB of WAL for typical records. */
const IMPORT_CHUNK_ENTRIES = 5000;

export interface JournalImporterOptions {
  /** The journals' directory: beside the database file unless given. */
  readonly directory?: string;
  /** Called after each journal file is read: tests interleave a writer's appends with an import through it. */
  readonly afterRead?: (file: string) => void;
}

/**
 * Copies journaled records and digests into `audit.db`: every record of every journal in `directory` whose seq
 * is past what the database holds for its writer, and every digest past its last one. Any process may import
 * any journal, and importing twice is harmless (each writer's chain position in the database decides what is
 * new), so a reader imports before it reads and sees every acknowledged record, whichever process wrote it.
 *
 * Records are copied as journaled — seq, hashes and event JSON untouched — so a record edited in the journal
 * before import is reported by verification, exactly as one edited in the database.
 *
 * Remembers how far it read each file, so a later import reads only what was appended since.
 */
export class JournalImporter {
  readonly #db: AuditDatabase;
  readonly #directory: string;
  /** Per journal file: the byte offset up to which complete lines were read, and its header. */
  readonly #progress = new Map<string, { offset: number; header: JournalHeader }>();
  readonly #insert: (writer: string, record: JournalRecord) => number;
  /** How far the database holds a writer's chain: its last record, or (after retention) the removed prefix. */
  readonly #lastSeq;
  readonly #lastSealedSeq;
  readonly #afterRead: ((file: string) => void) | undefined;

  constructor(db: AuditDatabase, options: JournalImporterOptions = {}) {
    this.#db = db;
    this.#directory = options.directory ?? journalDirectoryOf(db.name);
    this.#afterRead = options.afterRead;
    this.#insert = prepareRecordInserter(db);
    this.#lastSeq = db.prepare<[{ writer: string }], number | null>(
      `SELECT MAX(seq) FROM (SELECT MAX(seq) AS seq FROM audit_records WHERE writer = @writer
         UNION ALL SELECT through_seq FROM audit_retention WHERE writer = @writer)`,
    ).pluck();
    this.#lastSealedSeq = db.prepare<[{ writer: string }], number | null>(
      `SELECT MAX(seq) FROM (SELECT MAX(to_seq) AS seq FROM audit_digests WHERE writer = @writer
         UNION ALL SELECT through_seq FROM audit_retention WHERE writer = @writer)`,
    ).pluck();
  }

  /**
   * Imports what is new and returns how many records that was. With `removeOrphans`, journals of processes that
   * have ended are removed once imported. With `writer`, only that writer's journal files are read: what a serving
   * process indexes in the background, its own records, so that no two processes read and parse every journal
   * (issue #19). Throws SQLITE_BUSY when another process holds the lock past the busy timeout, and whatever else a
   * transaction throws; what earlier chunks committed stays, the rest is read again next time.
   *
   * `onStored` is called in each transaction that stored records or digests, once they are in and before it
   * commits: the indexing thread checks them there (chain-watch.ts), as stored, without reading them back. What it
   * throws aborts the transaction. When a transaction rolls back after it was called (its commit failed), `onRolledBack`
   * is called: what was learnt from those rows no longer holds.
   */
  import(options: ImportOptions = {}): number {
    const writer = options.writer;
    const files = listJournalFiles(this.#directory).filter((file) => writer === undefined || isJournalFileOf(file, writer));
    // Newest file first, so that what is read is a prefix of every writer's chain: a writer appends to one file
    // at a time and moves on only once it is full, so a later file that holds any record means every earlier
    // file was complete before it was read, and is read in full after it. Read oldest first, a file could be
    // read, then finished and followed by records in the next file, read in the same pass: those went in
    // first, and the earlier file's tail, at or below the writer's last seq, was skipped for good.
    const reads = [...files].reverse().map((file) => this.#readFile(file, options.removeOrphans === true)).reverse();
    const entries = reads.flatMap(({ read }) => read?.entries.map((entry) => ({ writer: read.header.writer, entry })) ?? []);
    // In chunks, each a transaction of its own, in chain order, so each commit holds a prefix of what was read. The
    // WAL holds every page a transaction changes until it commits: checkpointed between chunks, a backlog of
    // 50,000 records needs a chunk's worth of free disk beside it, not its own size again.
    let imported = 0;
    for (let start = 0; start < entries.length; start += IMPORT_CHUNK_ENTRIES) {
      imported += this.#importChunk(entries.slice(start, start + IMPORT_CHUNK_ENTRIES), options);
      if (start + IMPORT_CHUNK_ENTRIES < entries.length) checkpointLargeWal(this.#db);
    }
    // How far each file was read is kept only once everything read has committed, so that what a failed
    // transaction read is read again next time (records already in are then skipped by their seq).
    const progress = new Map(reads.flatMap(({ file, read }) => read === undefined ? [] : [[file, { offset: read.offset, header: read.header }] as const]));
    const orphans = reads.filter(({ read, orphaned }) => read !== undefined && orphaned).map(({ file }) => file);
    for (const [file, read] of progress) this.#progress.set(file, read);
    for (const file of orphans) {
      removeJournalFile(file);
      this.#progress.delete(file);
    }
    const listed = new Set(files);
    for (const known of this.#progress.keys()) {
      if (!listed.has(known) && (writer === undefined || isJournalFileOf(known, writer))) this.#progress.delete(known);
    }
    return imported;
  }

  /**
   * Inserts, in one transaction, each record past its writer's last seq and each digest past its last digest; hands
   * what it stored to `onStored` before the commit, and tells `onRolledBack` when the transaction failed after that.
   */
  #importChunk(chunk: readonly { writer: string; entry: JournalEntry }[], { onStored, onRolledBack }: ImportOptions): number {
    let told = false;
    try {
      return this.#db.transaction(() => {
        const positions = new Map<string, { lastSeq: number; lastSealed: number }>();
        const stored = new Map<string, ChainRecord[]>();
        let firstId = 0;
        let lastId = 0;
        let imported = 0;
        let sealed = false;
        for (const { writer, entry } of chunk) {
          let position = positions.get(writer);
          if (position === undefined) {
            position = { lastSeq: this.#lastSeq.get({ writer }) ?? 0, lastSealed: this.#lastSealedSeq.get({ writer }) ?? 0 };
            positions.set(writer, position);
          }
          if ('record' in entry) {
            if (entry.record.seq <= position.lastSeq) continue;
            const record = entry.record.decode();
            if (record === undefined) continue; // not a record line: verification reports the gap it leaves
            const id = this.#insert(writer, record);
            if (onStored !== undefined) {
              const records = stored.get(writer) ?? [];
              records.push({ id, seq: record.seq, prev_hash: record.prevHash, hash: record.hash, event_json: record.json });
              stored.set(writer, records);
              firstId ||= id;
              lastId = id;
            }
            position.lastSeq = record.seq;
            imported += 1;
          } else if (entry.digest.writer === writer && entry.digest.toSeq > position.lastSealed) {
            insertDigest(this.#db, entry.digest);
            position.lastSealed = entry.digest.toSeq;
            sealed = true;
          }
        }
        if ((imported > 0 || sealed) && onStored !== undefined) {
          told = true;
          onStored({ firstId, lastId, records: stored });
        }
        return imported;
      }).immediate();
    } catch (error) {
      if (told) onRolledBack?.();
      throw error;
    }
  }

  /**
   * What is new in `file`, and whether its process has ended (asked only with `removeOrphans`). An ended
   * process's file is read once more after that check: its process may have appended between the first read
   * and its end, and the file is removed once this import commits, so only a read after the check is final.
   */
  #readFile(file: string, removeOrphans: boolean): { file: string; read: JournalRead | undefined; orphaned: boolean } {
    const read = this.#readNew(file, this.#progress.get(file));
    if (!removeOrphans || read === undefined || !isOrphaned(read.header)) return { file, read, orphaned: false };
    const rest = this.#readNew(file, read);
    return { file, read: rest === undefined ? read : { ...rest, entries: [...read.entries, ...rest.entries] }, orphaned: true };
  }

  /**
   * The complete lines of `file` past `known` (its offset and header; from the start when undefined).
   * Undefined: the file is gone, or holds nothing new, or has no header yet.
   */
  #readNew(file: string, known: { offset: number; header: JournalHeader } | undefined): JournalRead | undefined {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // rotated away meanwhile
      throw error;
    }
    try {
      const size = fstatSync(fd).size;
      const start = known !== undefined && known.offset <= size ? known.offset : 0;
      const bytes = readFrom(fd, start, size);
      const end = bytes.lastIndexOf(NEWLINE); // a torn last line (a write in progress, or cut by a crash) waits
      if (end === -1) return undefined;
      let header = known?.header;
      let from = 0;
      if (start === 0) {
        from = bytes.indexOf(NEWLINE) + 1;
        header = parseHeader(bytes.toString('utf8', 0, from - 1));
      }
      if (header === undefined) return undefined;
      return { header, entries: parseEntries(bytes, from, end), offset: start + end + 1 };
    } finally {
      closeSync(fd);
      this.#afterRead?.(file);
    }
  }
}

/**
 * One import into the audit database at `path`, on a connection of its own (journals of ended processes are
 * removed once imported): what the CLI and tests do before they read.
 */
export function importAuditJournals(path: string): number {
  const db = openAuditDatabase(path);
  try {
    return new JournalImporter(db).import({ removeOrphans: true });
  } finally {
    db.close();
  }
}

/** The bytes from `start` up to the end of the file or its first zero byte (the preallocated rest). */
function readFrom(fd: number, start: number, size: number): Buffer {
  const chunks: Buffer[] = [];
  for (let position = start; position < size;) {
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - position));
    const read = readSync(fd, chunk, 0, chunk.length, position);
    if (read === 0) break;
    const end = chunk.subarray(0, read).indexOf(0);
    chunks.push(chunk.subarray(0, end === -1 ? read : end));
    if (end !== -1) break;
    position += read;
  }
  return Buffer.concat(chunks);
}

function parseHeader(line: string): JournalHeader | undefined {
  try {
    const header = JSON.parse(line) as Partial<JournalHeader>;
    return typeof header.writer === 'string' && typeof header.pid === 'number' && typeof header.host === 'string'
      ? { writer: header.writer, pid: header.pid, host: header.host }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The record and digest lines of `bytes` from `from` up to the newline at `end`. A line that is neither (no seq and
 * space, not a well-formed digest) is left out: verification then reports the gap it leaves. A record line's
 * format is checked in full when it is decoded (RecordLine).
 */
function parseEntries(bytes: Buffer, from: number, end: number): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (let start = from; start <= end;) {
    const stop = bytes.indexOf(NEWLINE, start);
    const entry = parseEntry(bytes, start, stop);
    if (entry !== undefined) entries.push(entry);
    start = stop + 1;
  }
  return entries;
}

/** The line of `bytes` from `start` to its newline at `stop`: a record line (`<seq> ...`) or a digest line (`D ...`). */
function parseEntry(bytes: Buffer, start: number, stop: number): JournalEntry | undefined {
  if (bytes[start] === 0x44 /* D */ && bytes[start + 1] === SPACE) {
    const digest = parseJournalDigest(bytes.toString('utf8', start, stop));
    return digest && { digest };
  }
  let at = start;
  while (at < stop && bytes[at]! >= 0x30 && bytes[at]! <= 0x39) at += 1; // the seq's digits
  if (at === start || bytes[at] !== SPACE) return undefined;
  return { record: new RecordLine(Number(bytes.toString('latin1', start, at)), bytes, at + 1, stop) };
}

/** Whether `bytes[from, to)` are lower-case hex digits (what the journal writes hashes as). */
function isLowerHex(bytes: Buffer, from: number, to: number): boolean {
  for (let at = from; at < to; at += 1) {
    const byte = bytes[at]!;
    if (!((byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66))) return false;
  }
  return true;
}

/**
 * The statements that copy records into the database, prepared once. A resource's ARN is stored once
 * (`audit_resource_names`); each record that names it adds a narrow row. Its id is looked up each time, not
 * cached: a rolled-back transaction would leave a cached id pointing at nothing. Also what an ephemeral server's
 * trail, which has no journal, inserts with (memory-audit-log.ts). Returns the record's row id.
 */
export function prepareRecordInserter(db: AuditDatabase) {
  const insertRecord = db.prepare(
    `INSERT INTO audit_records (writer, seq, prev_hash, hash, event_json, event_time, event_id, event_name, read_only,
       username, access_key_id, event_source, account_id, error_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const resourceId = db.prepare<[string], number>('SELECT id FROM audit_resource_names WHERE name = ?').pluck();
  const insertName = db.prepare('INSERT INTO audit_resource_names (name) VALUES (?)');
  // OR IGNORE: one ARN under two types in one record is no event Strongroom writes (verification reports it).
  const insertResource = db.prepare(
    'INSERT OR IGNORE INTO audit_resource_refs (resource_id, event_time, record_id, resource_type) VALUES (?, ?, ?, ?)',
  );
  return (writer: string, record: JournalRecord): number => {
    const c = columnsOf(record.json);
    const { lastInsertRowid } = insertRecord.run(writer, record.seq, record.prevHash, record.hash, record.json,
      c.eventTime, c.eventId, c.eventName, c.readOnly, c.username, c.accessKeyId, c.eventSource, c.accountId, c.errorCode);
    for (const resource of c.resources) {
      const id = resourceId.get(resource.name) ?? insertName.run(resource.name).lastInsertRowid;
      insertResource.run(id, c.eventTime, lastInsertRowid, resource.type === KMS_KEY_RESOURCE_TYPE ? null : resource.type);
    }
    return Number(lastInsertRowid);
  };
}

/**
 * The lookup columns of a journal line. A line edited into something that is not an event still goes in
 * (with empty lookup columns) rather than stopping every later import: verification, which recomputes the
 * hash, reports it as altered.
 */
function columnsOf(json: string): IndexColumns {
  try {
    return indexColumnsOf(JSON.parse(json) as CloudTrailEvent);
  } catch {
    return {
      eventTime: 0, eventId: '', eventName: '', readOnly: 'false', username: null, accessKeyId: null, eventSource: '',
      accountId: '', errorCode: null, resources: [],
    };
  }
}
