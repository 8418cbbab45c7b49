import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CacheCounter } from '../../src/observability/cache-counter.js';
import { ProcessMetrics } from '../../src/observability/process-metrics.js';
import { PROJECT_ROOT } from '../support/shared.js';

test('docs/observability.md describes every strongroom_ metric family and every cache', async () => {
  const metrics = new ProcessMetrics();
  const counts = new CacheCounter();
  metrics.watchCaches({ 'key-material': counts, 'private-key': counts, grants: counts, 'sigv4-signing-key': counts, 'store-lookup': counts });
  metrics.watchKeyStates(async () => ({}));
  const families = (await metrics.snapshot()).map((family) => family.name).filter((name) => name.startsWith('strongroom_'));
  const docs = readFileSync(join(PROJECT_ROOT, 'docs/observability.md'), 'utf8');
  for (const family of [...families, 'strongroom_metrics_processes_unanswered']) assert.ok(docs.includes(`\`${family}\``), family);
  for (const cache of ['key-material', 'private-key', 'grants', 'sigv4-signing-key', 'store-lookup']) assert.ok(docs.includes(`| \`${cache}\` |`), cache);
});
