import type { ServiceEvent } from '../service/background-jobs.js';
import type { Logger } from './logger.js';
import type { BackgroundJob, ProcessMetrics } from './process-metrics.js';

/**
 * Runs one run of `job`, counted in `strongroom_background_job_runs_total` by its outcome: `success`, `failure`
 * (then rethrown), or `skipped` when `run` resolves `undefined` (`Store.exclusively`: another node ran it).
 *
 * @example
 *   applyRetention: (days, dir) => countedJobRun(metrics, 'audit-retention', () => store.exclusively(...)),
 */
export async function countedJobRun<T>(metrics: ProcessMetrics | undefined, job: BackgroundJob, run: () => Promise<T | undefined>): Promise<T | undefined> {
  let result: T | undefined;
  try {
    result = await run();
  } catch (error) {
    metrics?.jobRan(job, 'failure');
    throw error;
  }
  metrics?.jobRan(job, result === undefined ? 'skipped' : 'success');
  return result;
}

/**
 * One run of the key lifecycle job (rotation, deletion, expired imported material: service/background-jobs.ts), as
 * the operator sees it: counted as a run and per event (`strongroom_background_job_events_total`), logged as one
 * `background-jobs-ran` line with what it did when it did anything (counts by event name, never a key), and as
 * `background-job-failed` when it fails (it is tried again at the next run). Never rejects.
 *
 * @example
 *   scheduleBackgroundJobs(() => runKeyLifecycleJob({ log, metrics }, (onEvent) => node.runDueJobs(onEvent)), ...);
 */
export async function runKeyLifecycleJob(
  report: { readonly log: Logger; readonly metrics?: ProcessMetrics | undefined },
  run: (onEvent: (event: ServiceEvent) => Promise<void>) => Promise<unknown>,
): Promise<void> {
  const done: Record<string, number> = {};
  const onEvent = async (event: ServiceEvent): Promise<void> => {
    done[event.eventName] = (done[event.eventName] ?? 0) + 1;
    report.metrics?.jobEvent(event.eventName);
  };
  try {
    await countedJobRun(report.metrics, 'key-lifecycle', () => run(onEvent));
  } catch (error) {
    report.log.error('background-job-failed', { job: 'key-lifecycle', ...done, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  if (Object.keys(done).length > 0) report.log.info('background-jobs-ran', { job: 'key-lifecycle', ...done });
}
