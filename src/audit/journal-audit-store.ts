import type { AuditBatch, AuditStore, SqlPlan } from '../store/audit-store.js';
import { checkpointLargeWal, openAuditDatabase, type AuditDatabase } from './audit-database.js';
import { BackgroundIndexer, type ChainWatchSettings, type IndexScope } from './background-indexer.js';
import { JournalImporter } from './journal-import.js';
import {
  createJournalFile, JOURNAL_FILE_BYTES, journalDigestLine, journalDirectoryOf, journalLine, prepareJournalFile,
  removeAbandonedJournalFiles, removeJournalFile, type JournalFile,
} from './journal.js';
import { runSqlitePlan } from './sqlite-plan-runner.js';
import { storedChainPlan, type StoredChain } from './writer-chain.js';

/** What one indexing transaction copied into the database. */
export interface IndexInfo {
  readonly records: number;
}

export interface JournalAuditStoreOptions {
  /** The audit database file (`<data-dir>/audit.db`); the journal is the directory beside it (`audit-journal/`). */
  readonly path: string;
  /** This process's writer: its journal files are named after it. */
  readonly writerId: string;
  /** Index into the database once nothing was appended for this long (default 100 ms) ... */
  readonly indexWhenIdleMs?: number;
  /** ... or as soon as this many records wait (default DEFAULT_INDEX_BACKLOG), whichever comes first. */
  readonly indexBacklog?: number;
  /** The size of each journal file, preallocated; a full one is followed by the next (default 8 MiB). */
  readonly journalFileBytes?: number;
  /** How long indexing (on its thread) and reads wait for another process's database lock (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Called after every indexing transaction. */
  readonly onIndex?: (info: IndexInfo) => void;
  /**
   * Called when indexing fails for another reason than a busy database, or on close for any reason (the journal then
   * waits for the next start); it is tried again later.
   */
  readonly onIndexError?: (error: unknown) => void;
  /** Wraps the journal file (tests inject write failures with it). */
  readonly wrapJournal?: (journal: JournalFile) => JournalFile;
  /** Verify the trail as it is indexed (chain-watch.ts, on the indexing thread), and hear each check. */
  readonly chainWatch?: ChainWatchSettings;
}

/**
 * How many records a writer lets wait before it indexes them under load (about 65 MB of journal): large enough that
 * a burst leaves its indexing to idle time, which nobody waits for (ADR 0009).
 */
export const DEFAULT_INDEX_BACKLOG = 50_000;

/** The embedded audit store, with the step only it has: indexing the journals into `audit.db`. */
export interface JournalAuditStore extends AuditStore {
  /** This writer's chain as stored when the store opened (every earlier journal imported first). */
  readonly storedChain: StoredChain;
  /**
   * Brings every journal (every writer's, as they are now) into the database, off the event loop: what a
   * reader awaits before it reads. Rejects (`IndexingError`) when indexing failed; the records stay durable in
   * the journals.
   */
  index(): Promise<void>;
}

/**
 * The embedded (SQLite) audit store. WHERE A RECORD BECOMES DURABLE: when its batch's lines are in this process's
 * journal file (`<data-dir>/audit-journal/<writer>.<n>.log`), written with one `O_DSYNC` write on the thread pool;
 * `append` resolves then. A failed write is cut back out of the file, so nothing of it is ever read.
 *
 * `audit.db` is an index of the journals, filled off the request path and off the event loop: the journals are
 * copied into it (lookup columns, digests) on a thread of its own (BackgroundIndexer) — this writer's own journal
 * when the store has been idle for `indexWhenIdleMs` or `indexBacklog` records wait and on close, every journal
 * before every read (`run`, `index()`). A failed index is tried again later (a journal not indexed on close, at the
 * next start). Reads run on a connection of this process (plans run synchronously on it).
 * Design: ADR 0007, 0009, 0017.
 *
 * @example
 *   const store = openJournalAuditStore({ path: join(dataDir, 'audit.db'), writerId });
 *   await store.append(batch); // durable
 *   const page = await store.run(lookupEventsPlan(query));
 */
export function openJournalAuditStore(options: JournalAuditStoreOptions): JournalAuditStore {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const db = openAuditDatabase(options.path, { busyTimeoutMs });
  const journalDirectory = journalDirectoryOf(options.path);
  let storedChain: StoredChain;
  try {
    // What earlier processes journaled goes in first (and ended processes' journals away, with files that never
    // got a header), then this writer's chain is read from the database. Synchronous: the store is not open until
    // its writer's chain is known.
    removeAbandonedJournalFiles(journalDirectory);
    new JournalImporter(db).import({ removeOrphans: true });
    checkpointLargeWal(db); // a backlog imported at a start leaves a large WAL: give its space back
    storedChain = runSqlitePlan(db, storedChainPlan(options.writerId));
  } finally {
    db.close(); // from here on, only the indexer's thread writes to the database
  }
  const wrap = options.wrapJournal ?? ((journal: JournalFile) => journal);
  const fileBytes = options.journalFileBytes ?? JOURNAL_FILE_BYTES;
  let generation = 0;
  // Made now, not at the first append, so that a volume too small for it refuses the start (JournalSpaceError
  // says how much is needed) instead of failing requests later.
  let journal = wrap(createJournalFile(journalDirectory, options.writerId, generation, fileBytes));
  const indexer = new BackgroundIndexer(
    { path: options.path, busyTimeoutMs, writer: options.writerId },
    options.chainWatch ? { chainWatch: options.chainWatch } : {},
  );
  /** The file to move on to when this one is full, prepared on the thread pool once it is half full. */
  let spare: Promise<JournalFile> | undefined;
  /** This writer's full journal files: removed once indexing has read them. */
  let retired: JournalFile[] = [];
  const indexWhenIdleMs = options.indexWhenIdleMs ?? 100;
  const indexBacklog = Math.max(1, options.indexBacklog ?? DEFAULT_INDEX_BACKLOG);
  let unindexed = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  /** The background index under way, if any (a backlog or the idle timer does not ask for a second one). */
  let indexing: Promise<unknown> | undefined;
  /** The last index run accounted for. */
  let lastRun: Promise<number> | undefined;
  /** Reads run here, opened at the first read (a writer that is never read from opens none). */
  let reader: AuditDatabase | undefined;
  let closed = false;

  /** One journal write of the batch's lines (records, then the digest line); a failure is cut back out. */
  async function append(batch: AuditBatch): Promise<void> {
    let text = batch.records.map((record) => journalLine(record.seq, record.prevHash, record.hash, record.json)).join('');
    if (batch.digest !== undefined) text += journalDigestLine(batch.digest);
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
      scheduleIndexing();
      throw error;
    }
    // Half full: time to prepare the next file (not earlier, so that a start or a short-lived log pays nothing).
    if (journal.length > journal.capacity / 2) prepareSpare();
    unindexed += batch.records.length;
    scheduleIndexing();
  }

  function scheduleIndexing(): void {
    if (unindexed >= indexBacklog) indexInBackground();
    else if (unindexed > 0) scheduleIndex(indexWhenIdleMs);
  }

  function scheduleIndex(delayMs: number): void {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(indexInBackground, delayMs);
    idleTimer.unref();
  }

  /**
   * An index nobody waits for, of this writer's own journal only (every process indexes its own; a reader indexes
   * every journal before it reads). When another process held the lock all along, it is simply tried again; any
   * other failure is reported (`onIndexError`) and tried again a second later.
   */
  function indexInBackground(): void {
    clearTimeout(idleTimer);
    if (indexing !== undefined || closed) return;
    indexing = indexNow('own-journal').then(
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
   * Copies the journals (every journal, or this writer's own) into the database, on the indexer's thread. On failure
   * the records stay durable in the journal; the caller decides what follows.
   */
  async function indexNow(scope: IndexScope = 'every-journal'): Promise<void> {
    const waiting = unindexed;
    const read = retired; // full before this index starts, so it reads them to the end
    retired = [];
    const run = indexer.index(scope); // callers that ask together share one run: account for it once
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

  /** Removes the spare file, unused, when the store closes. */
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

  return {
    backend: 'sqlite',
    storedChain,
    append,
    async index() {
      if (closed) throw new Error('the audit log is closed');
      await indexNow(); // a read that fails here fails as a read (IndexingError), not as a failed write
    },
    async run<T>(plan: SqlPlan<T>): Promise<T> {
      if (closed) throw new Error('the audit log is closed');
      await indexNow();
      reader ??= openAuditDatabase(options.path, { busyTimeoutMs });
      return runSqlitePlan(reader, plan);
    },
    async close() {
      if (closed) return;
      let indexed = false;
      try {
        clearTimeout(idleTimer);
        // Its own journal only: the processes of a node stop together, and each indexing every journal made them
        // wait on one another's write lock until the busy timeout ran out (two workers stopped under load).
        await indexNow('own-journal');
        indexed = true;
      } catch (error) {
        // Not a failed write: every record is durable in the journal, which stays for the next start (or the next
        // reader) to index. The stop goes on; the failure is reported.
        options.onIndexError?.(error);
      } finally {
        closed = true;
        clearTimeout(idleTimer);
        await indexing;
        await indexer.close();
        await discardSpare();
        journal.close();
        reader?.close();
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
