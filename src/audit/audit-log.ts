import type { KeyObject } from 'node:crypto';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import type { ChainWatchSettings } from './background-indexer.js';
import type { CloudTrailEvent } from './event.js';
import { AuditWriteError, openGroupCommit, type AuditSink, type CommitInfo } from './group-commit.js';
import { openJournalAuditStore, type IndexInfo, type JournalAuditStore } from './journal-audit-store.js';
import type { JournalFile } from './journal.js';
import { loadAuditSigningKey } from './signing-key.js';
import { WriterChain } from './writer-chain.js';

export { AuditWriteError, type AuditSink, type CommitInfo, type CommittedEvent } from './group-commit.js';
export type { IndexInfo } from './journal-audit-store.js';

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

/** The embedded audit log: group commit (group-commit.ts) over the journal store, which it can also be read through. */
export interface JournalAuditLog extends AuditLog {
  readonly store: JournalAuditStore;
}

/**
 * Opens the embedded audit log of one writer: GROUP COMMIT (group-commit.ts: one batch per event-loop turn, chained
 * and sealed) over the journal store (journal-audit-store.ts: a batch is durable once its journal write returns;
 * `audit.db` is indexed from the journals off the request path, on a thread of its own).
 *
 * @example
 *   const log = openAuditLog({ path, signingKey, now: Date.now, writerId: `${hostname()}-${process.pid}-${Date.now()}` });
 *   await log.append(event); // then answer the request
 */
export function openAuditLog(options: AuditLogOptions): JournalAuditLog {
  const privateKey = loadAuditSigningKey(options.signingKey);
  const store = openJournalAuditStore({
    path: options.path,
    writerId: options.writerId,
    ...pick(options, ['indexWhenIdleMs', 'indexBacklog', 'journalFileBytes', 'busyTimeoutMs', 'onIndex', 'onIndexError', 'wrapJournal', 'chainWatch']),
  });
  const commits = openGroupCommit({
    store,
    chain: WriterChain.fromStored(store.storedChain, options.now()),
    privateKey,
    now: options.now,
    ...pick(options, ['maxBatch', 'sealEvery', 'sealIntervalMs', 'sinks', 'onCommit', 'onSinkError']),
  });
  let closed = false;

  /** Seals, then indexes (this runs on seal and close, not per request). */
  async function sealAndIndex(): Promise<void> {
    await commits.seal();
    try {
      await store.index();
    } catch (error) {
      throw new AuditWriteError(error);
    }
  }

  return {
    writerId: options.writerId,
    store,
    append: (event) => commits.append(event),
    async index() {
      if (closed) throw new Error('the audit log is closed');
      await store.index();
    },
    seal: sealAndIndex,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await commits.close();
      } finally {
        await store.close();
      }
    },
  };
}

/** The options of `names` that are set (exactOptionalPropertyTypes: an unset option is left out, not undefined). */
function pick<O extends object, K extends keyof O>(options: O, names: readonly K[]): Partial<Pick<O, K>> {
  const picked: Partial<Pick<O, K>> = {};
  for (const name of names) if (options[name] !== undefined) picked[name] = options[name];
  return picked;
}
