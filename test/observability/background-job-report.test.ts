import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KmsKey } from '../../src/keys/key.js';
import { countedJobRun, runKeyLifecycleJob } from '../../src/observability/background-job-report.js';
import { createLogger } from '../../src/observability/logger.js';
import { ProcessMetrics } from '../../src/observability/process-metrics.js';
import { prometheusText } from '../../src/observability/prometheus-text.js';
import type { ServiceEvent } from '../../src/service/background-jobs.js';
import { parseScrape, total } from './prometheus-samples.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const event = (eventName: ServiceEvent['eventName']): ServiceEvent => ({ eventName, key: { arn: KEY_ARN } as KmsKey, at: 0 });

test('the key lifecycle job: runs counted by outcome, events by name, one log line per run that did something, none with a key', async () => {
  const lines: string[] = [];
  const log = createLogger((line) => lines.push(line));
  const metrics = new ProcessMetrics();
  await runKeyLifecycleJob({ log, metrics }, async (onEvent) => {
    await onEvent(event('RotateKey'));
    await onEvent(event('RotateKey'));
    await onEvent(event('DeleteKey'));
    return [];
  });
  await runKeyLifecycleJob({ log, metrics }, async () => []); // nothing due: no log line
  await runKeyLifecycleJob({ log, metrics }, async () => undefined); // another node ran it
  await runKeyLifecycleJob({ log, metrics }, async (onEvent) => {
    await onEvent(event('DeleteExpiredKeyMaterial'));
    throw new Error('the token is out of reach');
  });
  const scrape = parseScrape(await prometheusText([await metrics.snapshot()]));
  const runs = (outcome: string) => total(scrape, 'strongroom_background_job_runs_total', { job: 'key-lifecycle', outcome });
  assert.deepEqual(['success', 'skipped', 'failure'].map(runs), [2, 1, 1]);
  const events = (name: string) => total(scrape, 'strongroom_background_job_events_total', { event: name });
  assert.deepEqual(['RotateKey', 'DeleteKey', 'DeleteExpiredKeyMaterial'].map(events), [2, 1, 1]);
  assert.ok(total(scrape, 'strongroom_background_job_last_success_timestamp_seconds', { job: 'key-lifecycle' }) > 0);
  const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(logged.map((line) => [line['event'], line['level']]), [['background-jobs-ran', 'info'], ['background-job-failed', 'error']]);
  assert.equal(logged[0]!['RotateKey'], 2);
  assert.equal(logged[1]!['DeleteExpiredKeyMaterial'], 1);
  assert.equal(logged[1]!['error'], 'the token is out of reach');
  assert.ok(!lines.join('').includes(KEY_ARN), 'no key in the log');
  assert.ok(!scrape.samples.some((sample) => Object.values(sample.labels).includes(KEY_ARN)), 'no key in a label');
});

test('a counted run rethrows its failure after counting it', async () => {
  const metrics = new ProcessMetrics();
  await assert.rejects(countedJobRun(metrics, 'audit-retention', () => Promise.reject(new Error('disk full'))), /disk full/);
  assert.deepEqual(await countedJobRun(metrics, 'audit-retention', async () => ({ removed: [] })), { removed: [] });
  const scrape = parseScrape(await prometheusText([await metrics.snapshot()]));
  assert.equal(total(scrape, 'strongroom_background_job_runs_total', { job: 'audit-retention', outcome: 'failure' }), 1);
  assert.equal(total(scrape, 'strongroom_background_job_runs_total', { job: 'audit-retention', outcome: 'success' }), 1);
});
