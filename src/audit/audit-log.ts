import type { KeyObject } from 'node:crypto';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import { checkpointLargeWal, openAuditDatabase } from './audit-database.js';
import { BackgroundIndexer, type ChainWatchSettings } from './background-indexer.js';
import type { Digest } from './digest.js';
import type { CloudTrailEvent } from './event.js';
import { JournalImporter } from './journal-import.js';
import {
  createJournalFile, JOURNAL_FILE_BYTES, journalDigestLine, journalDirectoryOf, journalLine, prepareJournalFile,
  removeAbandonedJournalFiles, removeJournalFile, type JournalFile,
} from './journal.js';
import { loadAuditSigningKey } from './signing-key.js';
import { WriterChain } from './writer-chain.js';

/** An event as made durable: its place in its writer's chain and the exact JSON the trail stored. */
export interface CommittedEvent {
  readonly writer: string;
  readonly seq: number;
  readonly event: CloudTrailEvent;
  readonly json: string;
}

/** Receives durable events (after their journal write is fsynced, never before), e.g. a JSON Lines sink. */
export interface AuditSink {
  write(events: readonly CommittedEvent[]): void;
}

/** What one journal write made durable (for metrics and tests). */
export interface CommitInfo {
  readonly records: number;
  readonly digest: boolean;
}

/** What one indexing transaction copied into the database. */
export interface IndexInfo {
  readonly records: number;
}

export interface AuditLogOptions {
  /** The audit database file (`<data-dir>/audit.db`); the journal is the directory beside it (`audit-journal/`). */
  readonly path: string;
  /** The Ed25519 private key that signs digests (KeyObject, or PKCS#8 DER in SecretBytes). */
  readonly signingKey: KeyObject | SecretBytes;
  readonly now: () => number;
  /** Unique per live process, e.g. `<hostname>-<pid>-<startTime>`: each writer has its own chain and journal. */
  readonly writerId: string;
  /** Most events per journal write (default 2000). */
  readonly maxBatch?: number;
  /** Seal a digest once this many records are unsealed (default 1000) ... */
  readonly sealEvery?: number;
  /** ... or when the oldest unsealed record is this old (default 60 000 ms). */
  readonly sealIntervalMs?: number;
  /** Index into the database once nothing was appended for this long (default 100 ms) ... */
  readonly indexWhenIdleMs?: number;
  /** ... or as soon as this many records wait (default 50 000, about 65 MB of journal), whichever comes first. */
  readonly indexBacklog?: number;
  /** The size of each journal file, preallocated; a full one is followed by the next (default 8 MiB). */
  readonly journalFileBytes?: number;
  /** How long indexing (on its thread) waits for another process's database lock (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  readonly sinks?: readonly AuditSink[];
  /** Called after every journal write. */
  readonly onCommit?: (info: CommitInfo) => void;
  /** Called after every indexing transaction. */
  readonly onIndex?: (info: IndexInfo) => void;
  /** Called when indexing fails for another reason than a busy database; it is tried again later. */
  readonly onIndexError?: (error: unknown) => void;
  /** Called when a sink throws; the event is durable regardless. */
  readonly onSinkError?: (error: unknown) => void;
  /** Wraps the journal file (tests inject write failures with it). */
  readonly wrapJournal?: (journal: JournalFile) => JournalFile;
  /** Verify the trail as it is indexed (chain-watch.ts, on the indexing thread), and hear each check. */
  readonly chainWatch?: ChainWatchSettings;
}

/** The durable, hash-chained audit trail of one writer. */
export interface AuditLog {
  readonly writerId: string;
  /** Resolves once `event` is durable (fsynced in the journal); rejects when it could not be written. */
  append(event: CloudTrailEvent): Promise<void>;
  /**
   * Brings every journal (every writer's, as they are now) into the database, off the event loop: what a
   * reader awaits before it reads. Rejects (`IndexingError`) when indexing failed; the records stay durable in
   * the journals.
   */
  index(): Promise<void>;
  /** Indexes everything durable into the database and seals it with a digest now. */
  seal(): Promise<void>;
  /** Writes what is queued, indexes and seals it, removes the journal and closes. Appends after close are rejected. */
  close(): Promise<void>;
}

/** Thrown (to `append` callers) when the event's journal write failed: the request must not succeed. */
export class AuditWriteError extends Error {
  constructor(cause: unknown) {
    super('the audit trail could not be written', { cause });
    this.name = 'AuditWriteError';
  }
}

interface Pending {
  readonly event: CloudTrailEvent;
  readonly json: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Opens the audit log. Two stages, so that a request pays only for what makes its record durable:
 *
 * 1. Append, with GROUP COMMIT: events queue in memory; once the turn's microtasks have run (so every request
 *    handled in this turn has appended), one journal write (chained lines, synchronous I/O on the thread pool)
 *    takes everything queued and then resolves every promise of the batch. While it is on disk, new events
 *    gather for the next one. A failed write rejects its batch and leaves the chain as it was.
 * 2. Index, off the request path and off the event loop: the journals are copied into `audit.db` (lookup
 *    columns, digests) on a thread of its own (BackgroundIndexer) when the log has been idle for
 *    `indexWhenIdleMs`, when `indexBacklog` records wait, on seal and close, and before any reader reads
 *    (`index()`). A failed index is tried again later.
 *
 * @example
 *   const log = openAuditLog({ path, signingKey, now: Date.now, writerId: `${hostname()}-${process.pid}-${Date.now()}` });
 *   await log.append(event); // then answer the request
 */
export function openAuditLog(options: AuditLogOptions): AuditLog {
  const privateKey = loadAuditSigningKey(options.signingKey);
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const db = openAuditDatabase(options.path, { busyTimeoutMs });
  const journalDirectory = journalDirectoryOf(options.path);
  let chain: WriterChain;
  try {
    // What earlier processes journaled goes in first (and ended processes' journals away, with files that never
    // got a header), then this writer's chain resumes from the database. Synchronous: the log is not open until
    // its chain is known.
    removeAbandonedJournalFiles(journalDirectory);
    new JournalImporter(db).import({ removeOrphans: true });
    checkpointLargeWal(db); // a backlog imported at a start leaves a large WAL: give its space back
    chain = WriterChain.resume(db, options.writerId, options.now());
  } finally {
    db.close(); // from here on, only the indexer's thread writes to the database
  }
  const wrap = options.wrapJournal ?? ((journal: JournalFile) => journal);
  const fileBytes = options.journalFileBytes ?? JOURNAL_FILE_BYTES;
  let generation = 0;
  // Made now, not at the first append, so that a volume too small for it refuses the start (JournalSpaceError
  // says how much is needed) instead of failing requests later.
  let journal = wrap(createJournalFile(journalDirectory, options.writerId, generation, fileBytes));
  const indexer = new BackgroundIndexer({ path: options.path, busyTimeoutMs }, options.chainWatch ? { chainWatch: options.chainWatch } : {});
  /** The file to move on to when this one is full, prepared on the thread pool once it is half full. */
  let spare: Promise<JournalFile> | undefined;
  /** This writer's full journal files: removed once indexing has read them. */
  let retired: JournalFile[] = [];
  const maxBatch = Math.max(1, options.maxBatch ?? 2000);
  const sinks = options.sinks ?? [];
  const sealEvery = Math.max(1, options.sealEvery ?? 1000);
  const sealIntervalMs = options.sealIntervalMs ?? 60_000;
  const indexWhenIdleMs = options.indexWhenIdleMs ?? 100;
  const indexBacklog = Math.max(1, options.indexBacklog ?? 50_000);
  let queue: Pending[] = [];
  let writing: Promise<void> | undefined;
  let unindexed = 0;
  let sealRequested = false;
  let idleTimer: NodeJS.Timeout | undefined;
  /** The background index under way, if any (a backlog or the idle timer does not ask for a second one). */
  let indexing: Promise<unknown> | undefined;
  /** The last index run accounted for. */
  let lastRun: Promise<number> | undefined;
  let closed = false;

  const sealTimer = setInterval(() => {
    if (chain.unsealedCount > 0 && options.now() - chain.lastSealAt >= sealIntervalMs) requestSeal();
  }, Math.min(sealIntervalMs, 1000));
  sealTimer.unref();

  function requestSeal(): void {
    sealRequested = true;
    scheduleWrite();
  }

  function scheduleWrite(): void {
    if (writing === undefined && (queue.length > 0 || sealRequested)) {
      writing = new Promise<void>((resolve) => process.nextTick(resolve)).then(writeBatch);
    }
  }

  /**
   * One journal write of what is queued, with the signed digest sealing it when one is due; never rejects (a
   * failure rejects the batch's appends and leaves the chain as it was).
   */
  async function writeBatch(): Promise<void> {
    const batch = queue;
    queue = batch.length > maxBatch ? batch.splice(maxBatch) : []; // what does not fit waits for the next write
    const records = chain.extend(batch.map((pending) => pending.json));
    const time = options.now();
    const unsealed = chain.unsealedCount + records.length;
    const sealDue = sealRequested || unsealed >= sealEvery || (unsealed > 0 && time - chain.lastSealAt >= sealIntervalMs);
    sealRequested = false;
    const digest: Digest | undefined = sealDue ? chain.digest(privateKey, records, time) : undefined;
    let text = records.map((record, index) => journalLine(record.seq, record.prevHash, record.hash, batch[index]!.json)).join('');
    if (digest !== undefined) text += journalDigestLine(digest);
    if (text === '') return finishWrite();
    let before = journal.length;
    try {
      if (journal.length + Buffer.byteLength(text) > journal.capacity) before = await nextJournalFile();
      await journal.append(text);
    } catch (error) {
      // Nothing of a failed batch may stay: cut the journal back to where the chain still ends.
      try {
        journal.truncate(before);
      } catch {
        // The next write lands after the torn bytes; the importer skips what is not a record line.
      }
      const failure = new AuditWriteError(error);
      for (const pending of batch) pending.reject(failure);
      return finishWrite();
    }
    // Half full: time to prepare the next file (not earlier, so that a start or a short-lived log pays nothing).
    if (journal.length > journal.capacity / 2) prepareSpare();
    chain.advance(records);
    if (digest !== undefined) chain.sealed(digest);
    unindexed += records.length;
    options.onCommit?.({ records: records.length, digest: digest !== undefined });
    if (sinks.length > 0) {
      deliverToSinks(batch.map((pending, index) => ({
        writer: chain.writer, seq: records[index]?.seq ?? 0, event: pending.event, json: pending.json,
      })));
    }
    for (const pending of batch) pending.resolve();
    finishWrite();
  }

  function finishWrite(): void {
    writing = undefined;
    scheduleWrite();
    if (unindexed >= indexBacklog) indexInBackground();
    else if (unindexed > 0) scheduleIndex(indexWhenIdleMs);
  }

  function scheduleIndex(delayMs: number): void {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(indexInBackground, delayMs);
    idleTimer.unref();
  }

  /**
   * An index nobody waits for. When another process held the lock all along (it was indexing every journal, this
   * one's included), it is simply tried again; any other failure is reported (`onIndexError`) and tried again a
   * second later.
   */
  function indexInBackground(): void {
    clearTimeout(idleTimer);
    if (indexing !== undefined || closed) return;
    indexing = indexNow().then(
      () => {
        if (unindexed > 0 && !closed) scheduleIndex(indexWhenIdleMs); // appended while it ran
      },
      (error: unknown) => {
        const busy = isBusy(error);
        if (!busy) options.onIndexError?.(error);
        if (!closed) scheduleIndex(busy ? indexWhenIdleMs : Math.max(indexWhenIdleMs, 1000));
      },
    ).finally(() => {
      indexing = undefined;
    });
  }

  /**
   * Copies the journals into the database in one transaction, on the indexer's thread. On failure the records
   * stay durable in the journal; the caller decides what follows.
   */
  async function indexNow(): Promise<void> {
    const waiting = unindexed;
    const read = retired; // full before this index starts, so it reads them to the end
    retired = [];
    const run = indexer.index(); // callers that ask together share one run: account for it once
    let records: number;
    try {
      records = await run;
    } catch (error) {
      retired = [...read, ...retired];
      throw error;
    }
    for (const file of read) removeJournalFile(file.path);
    if (run === lastRun) return;
    lastRun = run;
    unindexed = Math.max(0, unindexed - waiting);
    options.onIndex?.({ records });
  }

  /**
   * Moves on to the next journal file (between writes) and returns where its data starts; the full one stays
   * until indexing has read it. The spare prepared meanwhile is used when it is ready (it usually is: half a file
   * holds thousands of records); if preparing it failed, or never started, one is prepared now, also on the thread
   * pool. When no file can be made, nothing changes (the batch fails, the next tries again).
   */
  async function nextJournalFile(): Promise<number> {
    const prepared = spare;
    spare = undefined;
    let next = await prepared?.catch(() => undefined);
    if (next === undefined) {
      generation += 1; // a failed attempt may have left its file behind: never reuse its name
      next = wrap(await prepareJournalFile(journalDirectory, options.writerId, generation, fileBytes));
    }
    journal.close();
    retired.push(journal);
    journal = next;
    return next.length;
  }

  function prepareSpare(): void {
    if (spare !== undefined || closed) return;
    generation += 1; // each attempt has a name of its own
    spare = prepareJournalFile(journalDirectory, options.writerId, generation, fileBytes).then(wrap);
    spare.catch(() => undefined); // reported when the file is needed, by making one then
  }

  /** Removes the spare file, unused, when the log closes. */
  async function discardSpare(): Promise<void> {
    const prepared = spare;
    spare = undefined;
    const file = await prepared?.catch(() => undefined);
    if (file === undefined) return;
    try {
      file.close();
      removeJournalFile(file.path);
    } catch {
      // It holds no record: the next start removes it as the journal of an ended process.
    }
  }

  function deliverToSinks(events: readonly CommittedEvent[]): void {
    if (events.length === 0) return;
    for (const sink of sinks) {
      try {
        sink.write(events);
      } catch (error) {
        options.onSinkError?.(error);
      }
    }
  }

  /** Waits until everything queued is in the journal. */
  async function drain(): Promise<void> {
    while (writing !== undefined || queue.length > 0 || sealRequested) {
      scheduleWrite();
      await writing;
    }
  }

  /** Seals, then indexes (this runs on seal and close, not per request). */
  async function sealNow(): Promise<void> {
    if (chain.unsealedCount > 0 || queue.length > 0) requestSeal();
    await drain();
    clearTimeout(idleTimer);
    try {
      await indexNow();
    } catch (error) {
      throw new AuditWriteError(error);
    }
  }

  return {
    writerId: options.writerId,
    append(event) {
      if (closed) return Promise.reject(new AuditWriteError(new Error('the audit log is closed')));
      let json: string;
      try {
        json = JSON.stringify(event);
      } catch (error) {
        return Promise.reject(new AuditWriteError(error));
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ event, json, resolve, reject });
        scheduleWrite();
      });
    },
    async index() {
      if (closed) throw new Error('the audit log is closed');
      await indexNow(); // a read that fails here fails as a read (IndexingError), not as a failed write
    },
    seal: sealNow,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sealTimer);
      let indexed = false;
      try {
        await sealNow();
        indexed = true;
      } finally {
        clearTimeout(idleTimer);
        await indexing;
        await indexer.close();
        await discardSpare();
        journal.close();
        // Everything it held is in the database now; otherwise it stays for the next start to import.
        if (indexed) removeJournalFile(journal.path);
      }
    },
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}
