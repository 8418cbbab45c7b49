import type { KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AuditBatch, AuditStore } from '../store/audit-store.js';
import { indexColumnsOf } from './audit-database.js';
import type { Digest } from './digest.js';
import type { CloudTrailEvent } from './event.js';
import type { WriterChain } from './writer-chain.js';

/** An event as made durable: its place in its writer's chain and the exact JSON the trail stored. */
export interface CommittedEvent {
  readonly writer: string;
  readonly seq: number;
  readonly event: CloudTrailEvent;
  readonly json: string;
}

/** Receives durable events (after their batch is durable, never before), e.g. a JSON Lines sink. */
export interface AuditSink {
  write(events: readonly CommittedEvent[]): void;
}

/** What one batch made durable (for metrics and tests): one journal write, or one PostgreSQL commit. */
export interface CommitInfo {
  readonly records: number;
  readonly digest: boolean;
  /** How long the store's `append` took to make the batch durable (a monotonic clock), in seconds. */
  readonly seconds: number;
}

/** Thrown (to `append` callers) when the event's batch could not be made durable: the request must not succeed. */
export class AuditWriteError extends Error {
  constructor(cause: unknown) {
    super('the audit trail could not be written', { cause });
    this.name = 'AuditWriteError';
  }
}

export interface GroupCommitOptions {
  /** Where batches go; `append` resolves once the batch is durable there. */
  readonly store: Pick<AuditStore, 'append'>;
  /** This writer's chain, as stored. */
  readonly chain: WriterChain;
  /** Signs the digests. */
  readonly privateKey: KeyObject;
  readonly now: () => number;
  /** Most events per batch (default 2000). */
  readonly maxBatch?: number;
  /** Seal a digest once this many records are unsealed (default 1000) ... */
  readonly sealEvery?: number;
  /** ... or when the oldest unsealed record is this old (default 60 000 ms). */
  readonly sealIntervalMs?: number;
  readonly sinks?: readonly AuditSink[];
  /** Called after every durable batch. */
  readonly onCommit?: (info: CommitInfo) => void;
  /** Called when a sink throws; the event is durable regardless. */
  readonly onSinkError?: (error: unknown) => void;
  /**
   * Re-reads this writer's chain as stored, before the batch that follows a failed one. For a backend where a
   * failed append may still have been stored (PostgreSQL: a commit whose answer was lost with the connection):
   * without it, the next batch would reuse the seqs of records that exist, which verification reports as
   * inserted records. Without `resync`, a failed append is taken to have stored nothing (the journal cuts itself
   * back).
   */
  readonly resync?: () => Promise<WriterChain>;
}

/** A writer's appends, batched. */
export interface GroupCommit {
  /** Resolves once `event` is durable; rejects (AuditWriteError) when its batch could not be made durable. */
  append(event: CloudTrailEvent): Promise<void>;
  /** Seals every record appended so far with a signed digest, and resolves once that is durable (or failed). */
  seal(): Promise<void>;
  /** Seals, waits for every batch, and refuses later appends. */
  close(): Promise<void>;
}

interface Pending {
  readonly event: CloudTrailEvent;
  readonly json: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * GROUP COMMIT without timers, for every backend: events queue in memory; once the turn's microtasks have run (so
 * every request handled in this turn has appended), one batch takes everything queued — chained (WriterChain),
 * sealed with a signed digest when one is due — and goes to the store in one `append` (one journal write, one
 * PostgreSQL commit), which resolves every promise of the batch. While it is being written, new events gather
 * for the next one. A failed batch rejects its appends and leaves the chain as it was (ADR 0004, 0017).
 *
 * @example
 *   const log = openGroupCommit({ store, chain: WriterChain.fromStored(stored, now()), privateKey, now });
 *   await log.append(event); // then answer the request
 */
export function openGroupCommit(options: GroupCommitOptions): GroupCommit {
  let chain = options.chain;
  const maxBatch = Math.max(1, options.maxBatch ?? 2000);
  const sinks = options.sinks ?? [];
  const sealEvery = Math.max(1, options.sealEvery ?? 1000);
  const sealIntervalMs = options.sealIntervalMs ?? 60_000;
  let queue: Pending[] = [];
  let writing: Promise<void> | undefined;
  let sealRequested = false;
  /** A batch failed: the chain as stored may be ahead of this one (see `resync`). */
  let stale = false;
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

  /** One batch of what is queued, with the digest sealing it when one is due; never rejects. */
  async function writeBatch(): Promise<void> {
    const batch = queue;
    queue = batch.length > maxBatch ? batch.splice(maxBatch) : []; // what does not fit waits for the next batch
    if (stale && options.resync !== undefined) {
      try {
        chain = await options.resync();
        stale = false;
      } catch (error) {
        return fail(batch, error);
      }
    }
    const records = chain.extend(batch.map((pending) => pending.json));
    const time = options.now();
    const unsealed = chain.unsealedCount + records.length;
    const sealDue = sealRequested || unsealed >= sealEvery || (unsealed > 0 && time - chain.lastSealAt >= sealIntervalMs);
    sealRequested = false;
    const digest: Digest | undefined = sealDue ? chain.digest(options.privateKey, records, time) : undefined;
    if (records.length === 0 && digest === undefined) return finishWrite();
    const stored: AuditBatch = {
      writer: chain.writer,
      records: records.map((record, index) => {
        const { event, json } = batch[index]!;
        return { ...record, json, columns: () => indexColumnsOf(event) };
      }),
      ...(digest === undefined ? {} : { digest }),
    };
    const writeStarted = performance.now();
    try {
      await options.store.append(stored);
    } catch (error) {
      stale = true;
      return fail(batch, error);
    }
    chain.advance(records);
    if (digest !== undefined) chain.sealed(digest);
    options.onCommit?.({ records: records.length, digest: digest !== undefined, seconds: (performance.now() - writeStarted) / 1000 });
    if (sinks.length > 0) {
      deliverToSinks(batch.map((pending, index) => ({
        writer: chain.writer, seq: records[index]?.seq ?? 0, event: pending.event, json: pending.json,
      })));
    }
    for (const pending of batch) pending.resolve();
    finishWrite();
  }

  function fail(batch: readonly Pending[], error: unknown): void {
    const failure = new AuditWriteError(error);
    for (const pending of batch) pending.reject(failure);
    finishWrite();
  }

  function finishWrite(): void {
    writing = undefined;
    scheduleWrite();
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

  /** Waits until everything queued is written (or failed). */
  async function drain(): Promise<void> {
    while (writing !== undefined || queue.length > 0 || sealRequested) {
      scheduleWrite();
      await writing;
    }
  }

  async function seal(): Promise<void> {
    if (chain.unsealedCount > 0 || queue.length > 0) requestSeal();
    await drain();
  }

  return {
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
    seal,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sealTimer);
      await seal();
    },
  };
}
