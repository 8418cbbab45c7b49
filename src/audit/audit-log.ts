import type { KeyObject } from 'node:crypto';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import { indexColumnsOf, openAuditDatabase, type AuditDatabase, type IndexColumns } from './audit-database.js';
import { insertDigest, type Digest } from './digest.js';
import type { CloudTrailEvent } from './event.js';
import { loadAuditSigningKey } from './signing-key.js';
import { WriterChain, type ChainedRecord } from './writer-chain.js';

/** An event as committed: its place in its writer's chain and the exact JSON the trail stored. */
export interface CommittedEvent {
  readonly writer: string;
  readonly seq: number;
  readonly event: CloudTrailEvent;
  readonly json: string;
}

/** Receives committed events (after their transaction is on disk, never before), e.g. a JSON Lines sink. */
export interface AuditSink {
  write(events: readonly CommittedEvent[]): void;
}

/** What one committed transaction wrote (for metrics and tests). */
export interface CommitInfo {
  readonly records: number;
  readonly digest: boolean;
}

export interface AuditLogOptions {
  /** The audit database file (`<data-dir>/audit.db`). */
  readonly path: string;
  /** The Ed25519 private key that signs digests (KeyObject, or PKCS#8 DER in SecretBytes). */
  readonly signingKey: KeyObject | SecretBytes;
  readonly now: () => number;
  /** Unique per live process, e.g. `<hostname>-<pid>-<startTime>`: each writer has its own chain. */
  readonly writerId: string;
  /** 0 (default): flush as soon as the event loop is free. More: wait this long to gather bigger batches. */
  readonly flushIntervalMs?: number;
  /** Most events per transaction (default 2000). */
  readonly maxBatch?: number;
  /** Seal a digest after this many records (default 1000) ... */
  readonly sealEvery?: number;
  /** ... or when the oldest unsealed record is this old (default 60 000 ms). */
  readonly sealIntervalMs?: number;
  readonly busyTimeoutMs?: number;
  readonly sinks?: readonly AuditSink[];
  /** Called after every committed transaction. */
  readonly onCommit?: (info: CommitInfo) => void;
  /** Called when a sink throws; the event is committed regardless. */
  readonly onSinkError?: (error: unknown) => void;
}

/** The durable, hash-chained audit trail of one writer. */
export interface AuditLog {
  readonly writerId: string;
  /** Resolves once `event` is committed (fsynced); rejects when it could not be written. */
  append(event: CloudTrailEvent): Promise<void>;
  /** Seals the unsealed records with a digest now. */
  seal(): Promise<void>;
  /** Writes what is queued, seals, and closes the database. Appends after close are rejected. */
  close(): Promise<void>;
}

/** Thrown (to `append` callers) when the event's transaction failed: the request must not succeed. */
export class AuditWriteError extends Error {
  constructor(cause: unknown) {
    super('the audit trail could not be written', { cause });
    this.name = 'AuditWriteError';
  }
}

interface Pending {
  readonly event: CloudTrailEvent;
  readonly json: string;
  readonly columns: IndexColumns;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Opens the audit log with GROUP COMMIT: appends queue in memory and one transaction (BEGIN IMMEDIATE, WAL,
 * synchronous=FULL) writes everything queued, then resolves every promise of the batch. The next flush is
 * scheduled with `setImmediate`, so at low load an event waits for no timer and at high load everything that
 * arrived during a flush goes into the next one. A failed transaction rejects every promise of its batch.
 *
 * @example
 *   const log = openAuditLog({ path, signingKey, now: Date.now, writerId: `${hostname()}-${process.pid}-${Date.now()}` });
 *   await log.append(event); // then answer the request
 */
export function openAuditLog(options: AuditLogOptions): AuditLog {
  const privateKey = loadAuditSigningKey(options.signingKey);
  // The connection itself never waits for the lock (SQLite's busy handler sleeps, blocking the event loop):
  // a busy batch is retried on a later turn, for up to `busyTimeoutMs`.
  const db = openAuditDatabase(options.path, { busyTimeoutMs: 0 });
  const chain = WriterChain.resume(db, options.writerId, options.now());
  const writeBatch = prepareBatchWriter(db);
  const maxBatch = Math.max(1, options.maxBatch ?? 2000);
  const sealEvery = Math.max(1, options.sealEvery ?? 1000);
  const sealIntervalMs = options.sealIntervalMs ?? 60_000;
  let queue: Pending[] = [];
  let scheduled = false;
  // Non-blocking waits for another writer process: see flushOnce.
  let retryLater = false;
  let busySince: number | undefined;
  const busyGiveUpMs = options.busyTimeoutMs ?? 5000;
  let sealRequested = false;
  let closed = false;

  const sealTimer = setInterval(() => {
    if (chain.unsealedCount > 0 && options.now() - chain.lastSealAt >= sealIntervalMs) requestSeal();
  }, Math.min(sealIntervalMs, 1000));
  sealTimer.unref();

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    const run = (): void => {
      scheduled = false;
      flushOnce();
      if (queue.length > 0 || sealRequested) schedule();
    };
    if (retryLater) {
      retryLater = false;
      setTimeout(run, 0);
    } else if ((options.flushIntervalMs ?? 0) > 0) setTimeout(run, options.flushIntervalMs);
    else setImmediate(run);
  }

  function requestSeal(): void {
    sealRequested = true;
    schedule();
  }

  /**
   * One transaction: up to maxBatch queued events, plus a digest when one is due. Never throws: a failure
   * rejects the batch's promises and is returned. A failed seal is not retried at once (that would spin on a
   * persistent failure); the seal timer asks again.
   */
  function flushOnce(): AuditWriteError | undefined {
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    const records = chain.extend(batch.map((pending) => pending.json));
    const time = options.now();
    const pendingCount = chain.unsealedCount + records.length;
    const sealDue = sealRequested || pendingCount >= sealEvery || (pendingCount > 0 && time - chain.lastSealAt >= sealIntervalMs);
    sealRequested = false;
    let digest: Digest | undefined;
    try {
      digest = sealDue ? chain.digest(privateKey, records, time) : undefined;
      if (records.length === 0 && digest === undefined) return undefined;
      writeBatch(chain.writer, batch, records, digest);
    } catch (error) {
      if (isBusy(error) && time < (busySince ??= time) + busyGiveUpMs) {
        // Another process holds the write lock for its own commit: try again on a later turn instead of
        // sleeping on the event loop (the chain has not advanced, so the batch is simply written later).
        queue = batch.concat(queue);
        sealRequested ||= sealDue;
        retryLater = true;
        return undefined;
      }
      busySince = undefined;
      const failure = new AuditWriteError(error);
      for (const pending of batch) pending.reject(failure);
      return failure;
    }
    busySince = undefined;
    chain.advance(records);
    if (digest !== undefined) chain.sealed(digest);
    options.onCommit?.({ records: records.length, digest: digest !== undefined });
    deliverToSinks(batch.map((pending, index) => ({
      writer: chain.writer, seq: records[index]?.seq ?? 0, event: pending.event, json: pending.json,
    })));
    for (const pending of batch) pending.resolve();
    return undefined;
  }

  function deliverToSinks(events: readonly CommittedEvent[]): void {
    if (events.length === 0) return;
    for (const sink of options.sinks ?? []) {
      try {
        sink.write(events);
      } catch (error) {
        options.onSinkError?.(error);
      }
    }
  }

  return {
    writerId: options.writerId,
    append(event) {
      if (closed) return Promise.reject(new AuditWriteError(new Error('the audit log is closed')));
      let json: string;
      let columns: IndexColumns;
      try {
        json = JSON.stringify(event);
        columns = indexColumnsOf(event);
      } catch (error) {
        return Promise.reject(new AuditWriteError(error));
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ event, json, columns, resolve, reject });
        schedule();
      });
    },
    seal: sealNow,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sealTimer);
      try {
        await sealNow();
      } finally {
        db.close();
      }
    },
  };

  function sealNow(): Promise<void> {
    // Drains the queue first (its events go into the sealed range), then writes the digest. This runs when the
    // log is sealed or closed, not per request, so here the connection may wait for the lock (blocking).
    db.pragma(`busy_timeout = ${busyGiveUpMs}`);
    let failure: AuditWriteError | undefined;
    while (queue.length > 0) failure = flushOnce() ?? failure;
    sealRequested = true;
    failure = flushOnce() ?? failure;
    db.pragma('busy_timeout = 0');
    return failure === undefined ? Promise.resolve() : Promise.reject(failure);
  }
}

/** The statements of one flush, prepared once; returns a function that writes a batch in one transaction. */
function prepareBatchWriter(db: AuditDatabase) {
  const insertRecord = db.prepare(
    `INSERT INTO audit_records (writer, seq, prev_hash, hash, event_json, event_time, event_id, event_name, read_only,
       username, access_key_id, event_source, account_id, error_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertResource = db.prepare(
    'INSERT INTO audit_resources (record_id, resource_type, resource_name, event_time) VALUES (?, ?, ?, ?)',
  );
  const transaction = db.transaction(
    (writer: string, batch: readonly Pending[], records: readonly ChainedRecord[], digest: Digest | undefined) => {
      batch.forEach((pending, index) => {
        const record = records[index];
        if (record === undefined) throw new Error('audit batch and chain are out of step');
        const c = pending.columns;
        const { lastInsertRowid } = insertRecord.run(writer, record.seq, record.prevHash, record.hash, pending.json,
          c.eventTime, c.eventId, c.eventName, c.readOnly, c.username, c.accessKeyId, c.eventSource, c.accountId, c.errorCode);
        for (const resource of c.resources) insertResource.run(lastInsertRowid, resource.type, resource.name, c.eventTime);
      });
      if (digest !== undefined) insertDigest(db, digest);
    },
  );
  return (writer: string, batch: readonly Pending[], records: readonly ChainedRecord[], digest: Digest | undefined): void => {
    transaction.immediate(writer, batch, records, digest);
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}
