import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { administratorCredentials, newDataDir, startServerProcess } from '../support/server-process.js';

/** A quota file in a directory of its own (the caller removes the directory). */
async function writeQuotaFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'strongroom-quotas-')), 'quotas.yaml');
  await writeFile(path, text);
  return path;
}

/**
 * A real server with a tiny quota file, driven by the AWS SDK with retries off (`maxAttempts: 1`), so the
 * throttled answer reaches the test instead of the SDK's backoff. CreateKey at 0.01/s allows one request in
 * each 100 seconds: the second is throttled however slowly the machine runs.
 */
for (const workers of ['1', '2']) {
  test(`over a quota: ThrottlingException with AWS's message, recorded in the trail (${workers} worker${workers === '1' ? '' : 's'})`, async () => {
    const dataDir = await newDataDir();
    const quotaFile = await writeQuotaFile('CreateKey request rate: 0.01\n');
    const server = await startServerProcess(['--workers', workers, '--quotas', quotaFile], dataDir);
    assert.ok(server.endpoint, server.stderr());
    const credentials = administratorCredentials(dataDir);
    const kms = new KMSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const cloudTrail = new CloudTrailClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const throttled = await kms.send(new CreateKeyCommand({})).then(() => undefined, (error: unknown) => error);
      assert.ok(throttled instanceof Error, 'the second CreateKey within 100 s is refused');
      assert.equal(throttled.name, 'ThrottlingException');
      assert.equal(throttled.message, 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.');
      assert.equal((throttled as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 400);
      const requestId = (throttled as { $metadata?: { requestId?: string } }).$metadata?.requestId;

      await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('other quotas are not touched') }));

      const { Events } = await cloudTrail.send(new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }],
      }));
      const records = (Events ?? []).map((event) => JSON.parse(event.CloudTrailEvent ?? '{}') as Record<string, unknown>);
      const record = records.find((candidate) => candidate['requestID'] === requestId);
      assert.ok(record, `the throttled request is in the trail: ${JSON.stringify(records)}`);
      assert.equal(record['errorCode'], 'ThrottlingException');
      assert.equal(record['errorMessage'], 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.');
      assert.equal(records.filter((candidate) => candidate['errorCode'] === undefined).length, 1, 'and the first CreateKey succeeded');
    } finally {
      kms.destroy();
      cloudTrail.destroy();
      assert.equal(await server.stop(), 0, server.stderr());
      await rm(dataDir, { recursive: true, force: true });
      await rm(join(quotaFile, '..'), { recursive: true, force: true });
    }
  });
}

test('a bad quota file stops the start, naming the bad entry', async () => {
  const dataDir = await newDataDir();
  const quotaFile = await writeQuotaFile('CreateKeys: 1\n');
  const server = await startServerProcess(['--workers', '1', '--quotas', quotaFile], dataDir);
  try {
    assert.equal(server.endpoint, '', 'it did not start');
    assert.match(server.stderr(), /"CreateKeys" is not an AWS KMS request quota/);
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(join(quotaFile, '..'), { recursive: true, force: true });
  }
});
