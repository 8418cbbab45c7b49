import {
  closeSync, constants, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, statfsSync, statSync, unlinkSync, write, writeSync,
  type StatsFs,
} from 'node:fs';
import { mkdir, open, statfs, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Digest } from './digest.js';

/**
 * The audit journal: where a record becomes durable. Each writer appends its chained records to its own
 * file (no lock shared with any other process) and acknowledges them once one synchronous (`O_DSYNC`) write
 * per batch has returned, run on libuv's thread pool so the event loop never waits for the disk. Indexing the
 * records into `audit.db` (for LookupEvents, verification, retention) comes later, off the request path: see
 * journal-import.ts.
 *
 * File: `<audit-journal dir>/<writer>.<n>.log`, mode 0600, preallocated with zeros. First line: a JSON header
 * naming the writer and its process. Then one line per record: `<seq> <prev hash hex> <hash hex> <event JSON>` (JSON.stringify
 * escapes every control character, so an event never spans lines), and a `D ...` line for each signed digest,
 * written with the records it seals. A crash mid-write leaves at most one torn last line, which was never
 * acknowledged and is ignored, as is everything from the first zero byte on (the preallocated rest).
 */
export interface JournalHeader {
  readonly writer: string;
  readonly host: string;
  readonly pid: number;
}

export const JOURNAL_SUFFIX = '.log';

/** `<dir>/audit.db` → `<dir>/audit-journal`. */
export function journalDirectoryOf(auditDatabasePath: string): string {
  return join(dirname(auditDatabasePath), `${basename(auditDatabasePath, '.db')}-journal`);
}

/** One line of a journal. */
export function journalLine(seq: number, prevHash: Buffer, hash: Buffer, eventJson: string): string {
  return `${seq} ${prevHash.toString('hex')} ${hash.toString('hex')} ${eventJson}\n`;
}

/** A digest line: `D <digest as JSON, bytes in hex>`. Digests travel in the journal like records. */
export function journalDigestLine(digest: Digest): string {
  const hex = (bytes: Buffer) => bytes.toString('hex');
  return `D ${JSON.stringify({
    writer: digest.writer, fromSeq: digest.fromSeq, toSeq: digest.toSeq, firstPrevHash: hex(digest.firstPrevHash),
    lastHash: hex(digest.lastHash), recordHashes: hex(digest.recordHashes), time: digest.time,
    prevSignatureHash: hex(digest.prevSignatureHash), signature: hex(digest.signature),
  })}\n`;
}

/** The digest of a digest line, or undefined when the line is not a well-formed one. */
export function parseJournalDigest(line: string): Digest | undefined {
  try {
    const fields = JSON.parse(line.slice(2)) as Record<string, unknown>;
    const bytes = (name: string): Buffer => {
      const value = fields[name];
      if (typeof value !== 'string' || !/^([0-9a-f]{2})*$/.test(value)) throw new Error(`bad ${name}`);
      return Buffer.from(value, 'hex');
    };
    const integer = (name: string): number => {
      const value = fields[name];
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Error(`bad ${name}`);
      return value;
    };
    if (typeof fields['writer'] !== 'string') return undefined;
    return {
      writer: fields['writer'], fromSeq: integer('fromSeq'), toSeq: integer('toSeq'), firstPrevHash: bytes('firstPrevHash'),
      lastHash: bytes('lastHash'), recordHashes: bytes('recordHashes'), time: integer('time'),
      prevSignatureHash: bytes('prevSignatureHash'), signature: bytes('signature'),
    };
  } catch {
    return undefined;
  }
}

/** Where a writer's records go; tests wrap it to inject failures. */
export interface JournalFile {
  readonly path: string;
  /** Where the data ends, as far as this writer knows (what every acknowledged write ended at). */
  readonly length: number;
  /** The bytes preallocated (zeroed) for it: writes up to here change no file metadata. */
  readonly capacity: number;
  /** Appends `text`, resolving once it is on disk (`O_DSYNC`); rejects when the write fails or is short. */
  append(text: string): Promise<void>;
  /** Cuts the file back to `length` bytes (after a failed append, so no torn record stays). */
  truncate(length: number): void;
  close(): void;
}

/** The size of a journal file unless the log is told otherwise: preallocated, so every byte of it is on disk. */
export const JOURNAL_FILE_BYTES = 8 * 1024 * 1024;

/**
 * A journal file could not be made for want of space (checked before, or ENOSPC, EDQUOT or EFBIG on the way):
 * says where, how much it needs and how much there is, which is what an operator needs to act on.
 */
export class JournalSpaceError extends Error {
  constructor(readonly directory: string, readonly needed: number, readonly available: number, options?: ErrorOptions) {
    super(`the audit journal needs ${formatBytes(needed)} free in ${directory}; ${formatBytes(available)} available`, options);
    this.name = 'JournalSpaceError';
  }
}

/**
 * Creates a journal file of the writer: header written, then zeroed up to `capacity` bytes, file and directory
 * fsynced. Why zeroed: a write over bytes that already exist changes no metadata, so its sync is one flush of
 * the data instead of the data plus a filesystem journal commit (measured: ~40% less time, and fewer device
 * flushes). Readers stop at the first zero byte. Synchronous (~10 ms for 8 MiB): for the first file, when the log
 * opens; later files are prepared ahead with `prepareJournalFile`.
 *
 * Free space is checked first (JournalSpaceError, nothing created), and a failure part-way (a full disk while
 * zeroing, a failed fsync) removes the file before it throws: a failed attempt leaves nothing behind.
 */
export function createJournalFile(directory: string, writer: string, generation: number, capacity = JOURNAL_FILE_BYTES): JournalFile {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  requireSpace(directory, capacity, availableBytes(statfsSync(directory)));
  const path = journalFilePath(directory, writer, generation);
  const fd = openSync(path, 'wx', 0o600); // fails before anything exists (the name is taken): nothing to remove
  try {
    let length: number;
    try {
      length = writeAllSync(fd, Buffer.from(journalHeaderLine(writer)), 0);
      const zeros = Buffer.alloc(ZERO_CHUNK_BYTES);
      for (let position = length; position < capacity;) {
        position += writeAllSync(fd, zeros.subarray(0, Math.min(zeros.length, capacity - position)), position);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    syncDirectory(directory);
    return openForAppends(path, length, capacity);
  } catch (error) {
    removeFailedFile(path);
    throw spaceErrorOr(error, directory, capacity, () => availableBytes(statfsSync(directory)));
  }
}

/**
 * `createJournalFile` on the thread pool: the writer prepares its next file while it fills the current one, so
 * moving on to it never stalls the event loop (8 MiB of zeros and an fsync took 10–12 ms there, about once a
 * second per process under load). The same checks: no file when the space is not there, none left on failure.
 */
export async function prepareJournalFile(directory: string, writer: string, generation: number, capacity = JOURNAL_FILE_BYTES): Promise<JournalFile> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  requireSpace(directory, capacity, availableBytes(await statfs(directory)));
  const path = journalFilePath(directory, writer, generation);
  const file = await open(path, 'wx', 0o600);
  try {
    let length: number;
    try {
      length = await writeAll(file, Buffer.from(journalHeaderLine(writer)), 0);
      const zeros = Buffer.alloc(ZERO_CHUNK_BYTES);
      for (let position = length; position < capacity;) {
        position += await writeAll(file, zeros.subarray(0, Math.min(zeros.length, capacity - position)), position);
      }
      await file.sync();
    } finally {
      await file.close();
    }
    const directoryHandle = await open(directory, 'r');
    try {
      await directoryHandle.sync();
    } finally {
      await directoryHandle.close();
    }
    return openForAppends(path, length, capacity);
  } catch (error) {
    removeFailedFile(path);
    throw spaceErrorOr(error, directory, capacity, () => availableBytes(statfsSync(directory)));
  }
}

const ZERO_CHUNK_BYTES = 1024 * 1024;

/** Writes all of `bytes` at `position` (a write may be short, e.g. at a file size limit) and returns how many. */
function writeAllSync(fd: number, bytes: Buffer, position: number): number {
  for (let done = 0; done < bytes.length;) {
    const written = writeSync(fd, bytes, done, bytes.length - done, position + done);
    if (written === 0) throw new Error('journal file write made no progress');
    done += written;
  }
  return bytes.length;
}

async function writeAll(file: FileHandle, bytes: Buffer, position: number): Promise<number> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done, position + done);
    if (bytesWritten === 0) throw new Error('journal file write made no progress');
    done += bytesWritten;
  }
  return bytes.length;
}

/** What an unprivileged writer may still use of the filesystem. */
function availableBytes(stats: StatsFs): number {
  return stats.bavail * stats.bsize;
}

function requireSpace(directory: string, needed: number, available: number): void {
  if (available < needed) throw new JournalSpaceError(directory, needed, available);
}

/** A full disk, a quota or a file size limit says so as a JournalSpaceError; any other error is kept as it is. */
function spaceErrorOr(error: unknown, directory: string, needed: number, available: () => number): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT' && code !== 'EFBIG') return error;
  let free = 0;
  try {
    free = available();
  } catch {
    // The error says enough without the figure.
  }
  return new JournalSpaceError(directory, needed, free, { cause: error });
}

/** Removes what a failed attempt created (it holds no record); a removal that fails too is left to the next start. */
function removeFailedFile(path: string): void {
  try {
    removeJournalFile(path);
  } catch {
    // Header only, or less: the next start removes it (see removeAbandonedJournalFiles and the importer's orphans).
  }
}

/** `8388608` → `8.0 MiB`. */
function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Zero-padded generation, so that a writer's files sort in the order they were written. */
function journalFilePath(directory: string, writer: string, generation: number): string {
  return join(directory, `${fileSafe(writer)}.${String(generation).padStart(6, '0')}${JOURNAL_SUFFIX}`);
}

function journalHeaderLine(writer: string): string {
  const header: JournalHeader = { writer, host: hostname(), pid: process.pid };
  return `${JSON.stringify(header)}\n`;
}

/** The prepared file at `path`, its data ending at `length`, opened for appends. */
function openForAppends(path: string, initialLength: number, capacity: number): JournalFile {
  let length = initialLength;
  // Appends go through a descriptor opened with O_DSYNC: each write returns once its data is on disk, so a
  // batch costs one thread-pool job instead of a write and then an fdatasync (two hand-offs, and under load
  // two waits for a CPU).
  const appendFd = openSync(path, constants.O_WRONLY | constants.O_DSYNC);
  return {
    path,
    capacity: Math.max(capacity, length),
    get length() {
      return length;
    },
    append(text) {
      const bytes = Buffer.from(text, 'utf8');
      return new Promise<void>((resolve, reject) => {
        write(appendFd, bytes, 0, bytes.length, length, (writeError, written) => {
          if (writeError) return reject(writeError);
          if (written !== bytes.length) return reject(new Error(`short journal write: ${written} of ${bytes.length} bytes`));
          length += bytes.length;
          resolve();
        });
      });
    },
    truncate(to) {
      ftruncateSync(appendFd, to);
      length = to;
    },
    close: () => closeSync(appendFd),
  };
}

/** Whether `path` is one of `writer`'s journal files (by its name: `<writer>.<n>.log`). */
export function isJournalFileOf(path: string, writer: string): boolean {
  const name = basename(path);
  const prefix = `${fileSafe(writer)}.`;
  return name.startsWith(prefix) && /^\d{6}\.log$/.test(name.slice(prefix.length));
}

/** The journal files in `directory` (none when it does not exist). */
export function listJournalFiles(directory: string): string[] {
  try {
    return readdirSync(directory).filter((name) => name.endsWith(JOURNAL_SUFFIX)).sort().map((name) => join(directory, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Removes a journal file whose records are all in the database, and makes the removal durable. */
export function removeJournalFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  syncDirectory(dirname(path));
}

/**
 * Removes the journal files that never got their header: zero-length, or a first line cut short (a process that
 * ended between creating the file and writing its header, which is written first). They hold no record, and the
 * importer, which cannot tell whose they are, would leave them forever. Only files untouched for `minAgeMs`: a
 * live process writes the header an instant after it creates the file. Files with a header are the importer's
 * to judge (it removes those of ended processes once imported). Returns the paths removed.
 */
export function removeAbandonedJournalFiles(directory: string, minAgeMs = 60_000): string[] {
  const removed: string[] = [];
  for (const path of listJournalFiles(directory)) {
    try {
      if (Date.now() - statSync(path).mtimeMs < minAgeMs || hasHeaderLine(path)) continue;
      removeJournalFile(path);
      removed.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}

/** Whether the file's first line is complete (before the first zero byte), or it is too long to tell. */
function hasHeaderLine(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(HEADER_SCAN_BYTES);
    const read = readSync(fd, bytes, 0, bytes.length, 0);
    const zero = bytes.subarray(0, read).indexOf(0);
    const text = bytes.subarray(0, zero === -1 ? read : zero);
    return text.includes(0x0a) || (zero === -1 && read === bytes.length);
  } finally {
    closeSync(fd);
  }
}

/** Far more than any header (a writer id, a host name and a pid). */
const HEADER_SCAN_BYTES = 64 * 1024;

/** True when the journal's process has ended (on this host), so nobody appends to it any more. */
export function isOrphaned(header: JournalHeader): boolean {
  if (header.host !== hostname() || header.pid === process.pid) return false;
  try {
    process.kill(header.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Makes the directory's entries (files created or removed in it) durable. */
export function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fileSafe(writer: string): string {
  return writer.replace(/[^A-Za-z0-9_.-]/g, '_');
}
