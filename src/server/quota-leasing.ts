import cluster, { type Worker } from 'node:cluster';
import { performance } from 'node:perf_hooks';
import { LeasedRequestQuotas } from '../service/quotas/leased-request-quotas.js';
import { QuotaBuckets } from '../service/quotas/quota-buckets.js';
import { answerLeaseRequest, isLeaseRequest } from '../service/quotas/quota-lease.js';
import type { QuotaTable } from '../service/quotas/quota-table.js';
import { LocalRequestQuotas, type RequestQuotas } from '../service/quotas/request-quotas.js';

/** Milliseconds of a monotonic clock: a wall clock set back or forward must not fill or drain a bucket. */
const monotonicNow = (): number => performance.now();

/**
 * The request quotas of a process that serves requests (docs/adr/0014-request-quotas.md): a single serving
 * process takes from its own buckets; a cluster worker takes from tokens leased from the primary over
 * node:cluster's IPC channel. Undefined when quotas are off.
 */
export function servingQuotas(table: QuotaTable | undefined): RequestQuotas | undefined {
  if (!table) return undefined;
  if (!cluster.isWorker) return new LocalRequestQuotas(new QuotaBuckets(table, monotonicNow));
  const quotas = new LeasedRequestQuotas(
    table,
    (request) => process.send?.(request, undefined, undefined, (error: Error | null) => {
      if (error) quotas.close(error);
    }),
    monotonicNow,
  );
  process.on('message', (message: unknown) => quotas.receive(message));
  process.once('disconnect', () => quotas.close(new Error('the primary process is gone: no request quota can be leased')));
  return quotas;
}

/**
 * The primary's side when workers serve: it owns the node's buckets and answers every worker's lease requests
 * (workers started later, to replace one that died, included). Returns the function that stops answering.
 */
export function answerWorkerLeases(table: QuotaTable): () => void {
  const buckets = new QuotaBuckets(table, monotonicNow);
  const onMessage = (worker: Worker, message: unknown): void => {
    if (!isLeaseRequest(message)) return;
    // A worker that died meanwhile cannot be answered; its requests died with it.
    if (worker.isConnected()) worker.send(answerLeaseRequest(buckets, message), undefined, () => undefined);
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
