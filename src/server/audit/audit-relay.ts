import cluster, { type Worker } from 'node:cluster';
import { AuditWriteError, type CloudTrailEvent } from '../../audit/index.js';

/**
 * With several serving processes, the workers do not write `audit.db` themselves: they relay each record to
 * the primary, which appends it with group commit and acknowledges once it is fsynced. Why: SQLite admits one
 * writer at a time, and two processes committing every few hundred microseconds collide constantly; the
 * loser's busy handler then SLEEPS (1, 2, 5 ... ms) on its event loop, which cost the Encrypt hot path far
 * more than the 15% budget. One writer per server also means one chain and bigger batches.
 *
 * Worker → primary: `{ type: 'strongroom-audit-append', records: [[id, event], ...] }`, one message per event
 * loop turn. Primary → worker: `{ type: 'strongroom-audit-ack', ok: [ids], failed: [ids] }` once the records'
 * transaction committed (or failed). A worker answers a request only after its id is in `ok`.
 */
interface AppendMessage {
  readonly type: 'strongroom-audit-append';
  readonly records: readonly (readonly [number, CloudTrailEvent])[];
}

interface AckMessage {
  readonly type: 'strongroom-audit-ack';
  readonly ok: readonly number[];
  readonly failed: readonly number[];
}

/**
 * The worker side: an `append` that resolves when the primary has committed the record, and rejects
 * (AuditWriteError) when it could not, or when there is no primary to send to.
 *
 * @example
 *   const append = relayedAppend();           // in a cluster worker
 *   await append(event);                      // durable in audit.db once this resolves
 */
export function relayedAppend(): (event: CloudTrailEvent) => Promise<void> {
  const pending = new Map<number, { resolve: () => void; reject: (error: unknown) => void }>();
  let queue: [number, CloudTrailEvent][] = [];
  let nextId = 1;
  let scheduled = false;

  process.on('message', (message: unknown) => {
    if (!isAck(message)) return;
    for (const id of message.ok) settle(id)?.resolve();
    for (const id of message.failed) settle(id)?.reject(new AuditWriteError(new Error('the primary could not commit the record')));
  });
  const settle = (id: number) => {
    const entry = pending.get(id);
    pending.delete(id);
    return entry;
  };
  const flush = (): void => {
    scheduled = false;
    const records = queue;
    queue = [];
    const message: AppendMessage = { type: 'strongroom-audit-append', records };
    const sent = process.send?.(message, undefined, {}, (error: Error | null) => {
      if (error) for (const [id] of records) settle(id)?.reject(new AuditWriteError(error));
    });
    if (sent === undefined) for (const [id] of records) settle(id)?.reject(new AuditWriteError(new Error('no primary process')));
  };

  return (event) =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      queue.push([id, event]);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

/**
 * The primary side: appends what every worker relays through `append` (the primary's own audit log) and
 * acknowledges each batch once its records are committed.
 */
export function relayWorkerRecords(append: (event: CloudTrailEvent) => Promise<void>): void {
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isAppend(message)) return;
    void Promise.allSettled(message.records.map(([, event]) => append(event))).then((results) => {
      const ack: AckMessage = {
        type: 'strongroom-audit-ack',
        ok: message.records.filter((_, index) => results[index]?.status === 'fulfilled').map(([id]) => id),
        failed: message.records.filter((_, index) => results[index]?.status !== 'fulfilled').map(([id]) => id),
      };
      if (worker.isConnected()) worker.send(ack);
    });
  });
}

function isAck(message: unknown): message is AckMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'strongroom-audit-ack';
}

function isAppend(message: unknown): message is AppendMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'strongroom-audit-append';
}
