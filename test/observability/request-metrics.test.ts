import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestOutcome } from '../../src/api/outcome.js';
import type { Caller } from '../../src/auth/caller.js';
import { prometheusText } from '../../src/observability/prometheus-text.js';
import { RequestMetrics } from '../../src/observability/request-metrics.js';
import { parseScrape, total } from './prometheus-samples.js';

/** An outcome as the pipeline makes it; `caller` present means the request was authenticated. */
function outcome(operation: string, options: { error?: string; authenticated?: boolean } = {}): RequestOutcome {
  return {
    requestId: 'r', service: 'kms', operation, readOnly: false, sourceIp: '127.0.0.1', startedAt: 0, resources: [],
    ...(options.authenticated === false ? {} : { caller: {} as Caller }),
    ...(options.error ? { error: { type: options.error, message: 'secret-free', status: 400 } } : {}),
  };
}

async function render(...processes: RequestMetrics[]) {
  return parseScrape(await prometheusText(processes.map((metrics) => metrics.snapshot())));
}

test('a request duration falls in every bucket at or above it, and the +Inf bucket counts them all', async () => {
  const metrics = new RequestMetrics();
  for (const seconds of [0.0004, 0.003, 10]) metrics.observe(outcome('Encrypt'), seconds);
  const scrape = await render(metrics);
  const bucket = (le: string) => total(scrape, 'strongroom_request_duration_seconds_bucket', { operation: 'Encrypt', le });
  assert.deepEqual(['0.0005', '0.001', '0.005', '5', '+Inf'].map(bucket), [1, 1, 2, 2, 3]);
  assert.equal(total(scrape, 'strongroom_request_duration_seconds_sum', { operation: 'Encrypt' }), 10.0034);
  assert.equal(total(scrape, 'strongroom_requests_total', { operation: 'Encrypt', outcome: 'success' }), 3);
});

test('operation names from requests are bounded: unauthenticated ones never become a label, authenticated ones up to a limit', async () => {
  const metrics = new RequestMetrics();
  for (let i = 0; i < 1000; i += 1) metrics.observe(outcome(`Junk${i}`, { authenticated: false, error: 'UnknownOperationException' }), 0.001);
  for (let i = 0; i < 300; i += 1) metrics.observe(outcome(`Named${i}`, { error: 'UnknownOperationException' }), 0.001);
  metrics.observe(outcome('Encrypt', { authenticated: false, error: 'InvalidSignatureException' }), 0.001);
  const scrape = await render(metrics);
  const operations = new Set(scrape.samples.map((sample) => sample.labels['operation']).filter((name) => name !== undefined));
  assert.ok(![...operations].some((name) => name.startsWith('Junk')));
  assert.equal(operations.size, 201, 'two hundred admitted names and unknown');
  assert.equal(total(scrape, 'strongroom_requests_total', { operation: 'unknown' }), 1000 + 100 + 1);
});

test('throttled and denied requests are counted apart, and the processes of a node add up', async () => {
  const first = new RequestMetrics();
  const second = new RequestMetrics();
  first.observe(outcome('Encrypt', { error: 'ThrottlingException' }), 0.001);
  second.observe(outcome('Encrypt', { error: 'ThrottlingException' }), 0.001);
  second.observe(outcome('Decrypt', { error: 'AccessDeniedException' }), 0.001);
  second.observe(outcome('Decrypt'), 0.001);
  const scrape = await render(first, second);
  assert.equal(total(scrape, 'strongroom_requests_throttled_total', { operation: 'Encrypt' }), 2);
  assert.equal(total(scrape, 'strongroom_requests_denied_total', { operation: 'Decrypt' }), 1);
  assert.equal(total(scrape, 'strongroom_requests_total', { operation: 'Decrypt' }), 2);
  assert.equal(total(scrape, 'strongroom_request_duration_seconds_count'), 4);
});
