import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, DisableKeyCommand, EncryptCommand, KMSServiceException } from '@aws-sdk/client-kms';
import { openAuditDatabase } from '../../src/audit/audit-database.js';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';
import { startObservedServer, type ObservedServer } from './observed-server.js';
import { fetchFresh, NODE_FAMILIES, parseScrape, total } from './prometheus-samples.js';

/** Sent as plaintext through Encrypt: it must appear in no scrape and no log line. */
const SENTINEL = 'sentinel-plaintext-0bd5c1e7-metrics';

async function scrape(server: ObservedServer) {
  const answer = await fetchFresh(server.metricsUrl);
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.contentType, 'text/plain; version=0.0.4; charset=utf-8');
  return { text: answer.text, ...parseScrape(answer.text) };
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof KMSServiceException, String(error));
    return error.name;
  }
  assert.fail('the request succeeded');
}

void describe('/metrics on the API port, one serving process', () => {
  let server: ObservedServer;
  let quotaDir: string;

  before(async () => {
    quotaDir = await mkdtemp(join(tmpdir(), 'strongroom-metrics-quotas-'));
    // DescribeKey is always throttled; everything else has AWS's quotas.
    await writeFile(join(quotaDir, 'quotas.json'), JSON.stringify({ 'DescribeKey request rate': 0 }));
    server = await startObservedServer(['--workers', '1', '--quotas', join(quotaDir, 'quotas.json')]);
  });

  after(async () => {
    await server.stop();
    await rm(quotaDir, { recursive: true, force: true });
  });

  void test('answers without credentials in the Prometheus text format, with every family', async () => {
    assert.equal(server.metricsUrl, `${server.endpoint}/metrics`);
    const { types } = await scrape(server);
    for (const [family, type] of Object.entries(NODE_FAMILIES)) assert.equal(types.get(family), type, family);
    const posted = await fetch(server.metricsUrl, { method: 'POST' });
    assert.equal(posted.status, 405);
    await posted.arrayBuffer();
  });

  void test('counts requests by operation and outcome, throttled and denied ones, and the keys by state', async () => {
    const keyId = await server.createKey();
    const disabledKeyId = await server.createKey();
    const kms = server.kms();
    await kms.send(new DisableKeyCommand({ KeyId: disabledKeyId }));
    const before = await scrape(server);
    for (let i = 0; i < 3; i += 1) await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(SENTINEL) }));
    assert.equal(await rejection(kms.send(new DescribeKeyCommand({ KeyId: keyId }))), 'ThrottlingException');
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: server.credentials, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }));
    iam.destroy();
    // A user without any policy, on a key whose policy trusts only the account's IAM policies: denied.
    const nobody = server.kms({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    assert.equal(await rejection(nobody.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(SENTINEL) }))), 'AccessDeniedException');

    const after = await scrape(server);
    const moved = (name: string, labels: Record<string, string>) => total(after, name, labels) - total(before, name, labels);
    assert.equal(moved('strongroom_requests_total', { service: 'kms', operation: 'Encrypt', outcome: 'success' }), 3);
    assert.equal(moved('strongroom_requests_total', { service: 'kms', operation: 'Encrypt', outcome: 'AccessDeniedException' }), 1);
    assert.equal(moved('strongroom_requests_total', { service: 'kms', operation: 'DescribeKey', outcome: 'ThrottlingException' }), 1);
    assert.equal(moved('strongroom_requests_total', { service: 'iam', operation: 'CreateUser', outcome: 'success' }), 1);
    assert.equal(moved('strongroom_requests_throttled_total', { service: 'kms', operation: 'DescribeKey' }), 1);
    assert.equal(moved('strongroom_requests_denied_total', { service: 'kms', operation: 'Encrypt' }), 1);
    assert.equal(moved('strongroom_request_duration_seconds_count', { service: 'kms', operation: 'Encrypt' }), 4);
    assert.equal(
      total(after, 'strongroom_request_duration_seconds_bucket', { service: 'kms', operation: 'Encrypt', le: '+Inf' }),
      total(after, 'strongroom_request_duration_seconds_count', { service: 'kms', operation: 'Encrypt' }),
    );
    // Each KMS request's audit record was made durable in a batch (IAM's are not KMS events).
    assert.ok(moved('strongroom_audit_batch_records_sum', {}) >= 5);
    assert.ok(moved('strongroom_audit_commit_duration_seconds_count', {}) >= 1);
    // The second and third Encrypt found the key's material and the signing key cached.
    assert.ok(moved('strongroom_cache_hits_total', { cache: 'key-material' }) >= 2);
    assert.ok(moved('strongroom_cache_hits_total', { cache: 'sigv4-signing-key' }) >= 2);
    assert.equal(total(after, 'strongroom_keys', { state: 'Enabled' }), 1);
    assert.equal(total(after, 'strongroom_keys', { state: 'Disabled' }), 1);
    assert.equal(total(after, 'strongroom_keys', { state: 'PendingDeletion' }), 0);
  });

  void test('an operation name no authenticated request has named is counted as unknown', async () => {
    const response = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'TrentService.Made-Up-Operation-1234', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    assert.equal(response.status, 400);
    await response.arrayBuffer();
    const { samples, text } = await scrape(server);
    assert.ok(!text.includes('Made-Up-Operation'), 'the name is not a label value');
    assert.ok(samples.some((sample) => sample.labels['operation'] === 'unknown' && sample.labels['outcome'] === 'UnknownOperationException'));
  });

  void test('nothing secret is in a scrape or in the log, and no scrape or probe is audited', async () => {
    for (const path of ['/metrics', '/healthz', '/readyz', '/metrics']) assert.equal((await fetchFresh(`${server.endpoint}${path}`)).status, 200);
    const { text } = await scrape(server);
    for (const secret of [SENTINEL, Buffer.from(SENTINEL).toString('base64'), server.credentials.secretAccessKey]) {
      assert.ok(!text.includes(secret), 'no plaintext or secret in /metrics');
      assert.ok(!server.process.stderr().includes(secret), 'no plaintext or secret in the log');
    }
    for (const identifying of [server.credentials.accessKeyId, 'arn:aws']) assert.ok(!text.includes(identifying), 'no key, principal or account is a label');
    await server.stop();
    const db = openAuditDatabase(dataDirectoryLayout(server.process.dataDir).auditDatabase, { readonly: true });
    try {
      const names = db.prepare('SELECT DISTINCT event_name AS name FROM audit_records').all() as { name: string }[];
      const sent = ['CreateKey', 'DisableKey', 'Encrypt', 'DescribeKey', 'Made-Up-Operation-1234'];
      assert.deepEqual(names.map((row) => row.name).filter((name) => !sent.includes(name)), [], 'records of the API requests only');
    } finally {
      db.close();
    }
  });
});
