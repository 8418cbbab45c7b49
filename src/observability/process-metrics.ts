import type { KeyState } from '../keys/key-state.js';
import type { CacheCounts } from './cache-counter.js';
import type { Logger } from './logger.js';
import { CounterFamily, HistogramFamily, type MetricFamily } from './metric-family.js';
import { processRuntimeMetrics } from './prometheus-text.js';
import { RequestMetrics } from './request-metrics.js';

/** The caches whose hits and misses `/metrics` reports, by the `cache` label they get. */
export type CacheName = 'key-material' | 'private-key' | 'grants' | 'sigv4-signing-key' | 'store-lookup';

/** The background jobs: rotation, deletion and expired imported material (service/background-jobs.ts); audit retention. */
export type BackgroundJob = 'key-lifecycle' | 'audit-retention';

/** `skipped`: another node sharing the database ran the job at that moment (`Store.exclusively`). */
export type JobOutcome = 'success' | 'failure' | 'skipped';

/** Every key state, so that `strongroom_keys` reports a state with no key as 0 rather than leaving it out. */
const KEY_STATES: Readonly<Record<KeyState, true>> = {
  Creating: true, Enabled: true, Disabled: true, PendingDeletion: true, PendingImport: true,
  PendingReplicaDeletion: true, Unavailable: true, Updating: true,
};

/** A journal write with fsync takes about 0.2 ms on the project machine; a PostgreSQL commit, a few. */
const AUDIT_COMMIT_BUCKETS_SECONDS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
/** Group commit batches up to 2000 records. */
const AUDIT_BATCH_BUCKETS: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];
/** A scrape does not wait longer than this for the store to count keys (a database that hangs). */
const KEY_COUNT_TIMEOUT_MS = 2000;

/**
 * Everything one process records for `/metrics` (docs/observability.md lists each family): its requests, its
 * audit trail's group commits, its caches' hits and misses, its background jobs, and — in the process that reports
 * for the node (the primary, or the only process) — the keys by state, counted from the store at each scrape.
 * Recording is plain arithmetic; `snapshot()` turns it into metric families, with prom-client's process metrics.
 *
 * @example
 *   const metrics = new ProcessMetrics({ log });
 *   metrics.watchKeyStates(() => store.keys.countByState());
 *   const text = await prometheusText([await metrics.snapshot()]);
 */
export class ProcessMetrics {
  readonly requests = new RequestMetrics();
  readonly #auditCommits = new HistogramFamily('strongroom_audit_commit_duration_seconds', 'Time to make one audit batch durable (one journal write, or one PostgreSQL commit).', [], AUDIT_COMMIT_BUCKETS_SECONDS);
  readonly #auditBatches = new HistogramFamily('strongroom_audit_batch_records', 'Audit records per durable batch (group commit).', [], AUDIT_BATCH_BUCKETS);
  readonly #jobRuns = new CounterFamily('strongroom_background_job_runs_total', 'Background job runs, by job and outcome (success, failure, skipped).', ['job', 'outcome']);
  readonly #jobEvents = new CounterFamily('strongroom_background_job_events_total', 'What background jobs did: RotateKey, DeleteKey, DeleteExpiredKeyMaterial.', ['event']);
  readonly #lastSuccess = new Map<BackgroundJob, number>();
  readonly #caches = new Map<CacheName, CacheCounts>();
  readonly #log: Pick<Logger, 'warn'> | undefined;
  #keyStates: (() => Promise<Partial<Record<KeyState, number>>>) | undefined;

  constructor(options: { readonly log?: Pick<Logger, 'warn'> } = {}) {
    this.#log = options.log;
  }

  /** For the audit trail's `onCommit`: one durable batch. */
  auditCommitted(batch: { readonly records: number; readonly seconds: number }): void {
    this.#auditCommits.series({}).observe(batch.seconds);
    this.#auditBatches.series({}).observe(batch.records);
  }

  /** Reports these caches' counts at each scrape (a later call for the same name replaces it). */
  watchCaches(caches: Partial<Record<CacheName, CacheCounts>>): void {
    for (const [name, counts] of Object.entries(caches) as [CacheName, CacheCounts | undefined][]) {
      if (counts !== undefined) this.#caches.set(name, counts);
    }
  }

  /** Reports `strongroom_keys{state}` from `count` at each scrape: only in the process that reports for the node. */
  watchKeyStates(count: () => Promise<Partial<Record<KeyState, number>>>): void {
    this.#keyStates = count;
  }

  jobRan(job: BackgroundJob, outcome: JobOutcome, at: number = Date.now()): void {
    this.#jobRuns.series({ job, outcome }).inc();
    if (outcome === 'success') this.#lastSuccess.set(job, at / 1000);
  }

  /** One thing a background job did (`RotateKey`, ...): the name only, never the key. */
  jobEvent(eventName: string): void {
    this.#jobEvents.series({ event: eventName }).inc();
  }

  /** This process's metric families, prom-client's process metrics included. */
  async snapshot(): Promise<MetricFamily[]> {
    const [keys, runtime] = await Promise.all([this.#keyStateFamily(), processRuntimeMetrics()]);
    return [
      ...this.requests.snapshot(),
      this.#auditCommits.snapshot(),
      this.#auditBatches.snapshot(),
      ...this.#cacheFamilies(),
      ...(keys ? [keys] : []),
      this.#jobRuns.snapshot(),
      this.#jobEvents.snapshot(),
      {
        name: 'strongroom_background_job_last_success_timestamp_seconds',
        help: 'When each background job last ran successfully (Unix time).',
        type: 'gauge',
        aggregator: 'max',
        values: [...this.#lastSuccess].map(([job, at]) => ({ labels: { job }, value: at })),
      },
      ...runtime,
    ];
  }

  #cacheFamilies(): MetricFamily[] {
    const caches = [...this.#caches];
    const family = (name: string, help: string, read: (counts: CacheCounts) => number): MetricFamily => ({
      name, help, type: 'counter', aggregator: 'sum', values: caches.map(([cache, counts]) => ({ labels: { cache }, value: read(counts) })),
    });
    return [
      family('strongroom_cache_hits_total', 'Lookups a cache answered from memory.', (counts) => counts.hits),
      family('strongroom_cache_misses_total', 'Lookups a cache had to answer by loading (unwrapping, parsing, deriving, querying).', (counts) => counts.misses),
    ];
  }

  /** `strongroom_keys{state}`; left out of this scrape (and logged) when the store does not answer in time. */
  async #keyStateFamily(): Promise<MetricFamily | undefined> {
    const count = this.#keyStates;
    if (count === undefined) return undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const counts = await Promise.race([
        count(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${KEY_COUNT_TIMEOUT_MS} ms`)), KEY_COUNT_TIMEOUT_MS);
        }),
      ]);
      const values = (Object.keys(KEY_STATES) as KeyState[]).map((state) => ({ labels: { state }, value: counts[state] ?? 0 }));
      // One process counts for the node; should two ever report, the node's keys are not their sum.
      return { name: 'strongroom_keys', help: 'KMS keys by key state, in every account and region (as stored).', type: 'gauge', aggregator: 'max', values };
    } catch (error) {
      this.#log?.warn('metrics-key-count-failed', { error: error instanceof Error ? error.message : String(error) });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
