import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EncryptCommand } from '@aws-sdk/client-kms';
import { startObservedServer, type ObservedServer } from './observed-server.js';
import { fetchFresh, NODE_FAMILIES, parseScrape, total, type Scrape } from './prometheus-samples.js';

const ENCRYPTS = 12;

/** Sends `ENCRYPTS` Encrypts, each on a connection of its own: the primary deals connections to the workers in turn. */
async function encryptOnEveryWorker(server: ObservedServer): Promise<void> {
  const keyId = await server.createKey();
  const kms = server.kms();
  for (let i = 0; i < ENCRYPTS; i += 1) await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(`message ${i}`) }));
}

async function scrapeAt(url: string): Promise<Scrape> {
  const answer = await fetchFresh(url);
  assert.equal(answer.status, 200, answer.text);
  return parseScrape(answer.text);
}

/** What every scrape of the node must say after `encryptOnEveryWorker`, whichever process answered it. */
function assertWholeNode(scrape: Scrape): void {
  for (const [family, type] of Object.entries(NODE_FAMILIES)) assert.equal(scrape.types.get(family), type, family);
  assert.equal(total(scrape, 'strongroom_requests_total', { service: 'kms', operation: 'Encrypt', outcome: 'success' }), ENCRYPTS);
  assert.equal(total(scrape, 'strongroom_request_duration_seconds_count', { service: 'kms', operation: 'Encrypt' }), ENCRYPTS);
  // Each worker derives the administrator's signing key once, in its own cache: two misses means both workers
  // served requests and both are in the sum (the primary serves none).
  assert.equal(total(scrape, 'strongroom_cache_misses_total', { cache: 'sigv4-signing-key' }), 2);
  assert.equal(total(scrape, 'strongroom_metrics_processes_unanswered'), 0);
  assert.equal(total(scrape, 'strongroom_keys', { state: 'Enabled' }), 1);
}

void describe('/metrics with two workers: the whole node, whichever process is asked', () => {
  void test('on the API port, a worker asks the primary, which sums every worker and itself', async () => {
    const server = await startObservedServer(['--workers', '2']);
    try {
      await encryptOnEveryWorker(server);
      // Successive connections reach successive workers: each answers for the node.
      for (let i = 0; i < 4; i += 1) assertWholeNode(await scrapeAt(`${server.endpoint}/metrics`));
    } finally {
      await server.stop();
    }
  });

  void test('--metrics-port: the primary answers on its own listener, and the API port no longer does', async () => {
    const server = await startObservedServer(['--workers', '2', '--metrics-port', '0']);
    try {
      const metricsOrigin = new URL(server.metricsUrl).origin;
      assert.notEqual(metricsOrigin, server.endpoint);
      await encryptOnEveryWorker(server);
      assertWholeNode(await scrapeAt(server.metricsUrl));
      const ready = await fetchFresh(`${metricsOrigin}/readyz`);
      assert.equal(ready.status, 200, ready.text);
      assert.deepEqual(JSON.parse(ready.text), {
        status: 'ready', checks: { store: 'ok', rootKey: 'ok', auditLog: 'ok', auditChain: 'ok', workers: 'ok' },
      });
      assert.equal((await fetchFresh(`${metricsOrigin}/healthz`)).status, 200);
      assert.equal((await fetchFresh(`${metricsOrigin}/`)).status, 404);
      for (const path of ['/metrics', '/healthz', '/readyz']) {
        const onApiPort = await fetchFresh(`${server.endpoint}${path}`);
        assert.equal(onApiPort.status, 400, path);
        assert.equal((JSON.parse(onApiPort.text) as { __type: string }).__type, 'UnknownOperationException', path);
      }
    } finally {
      await server.stop();
    }
  });
});
