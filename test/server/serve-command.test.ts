import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { newDataDir, startServerProcess } from '../support/server-process.js';

function credentialsOf(dataDir: string) {
  const text = readFileSync(join(dataDir, 'credentials'), 'utf8');
  const value = (name: string) => new RegExp(`${name}\\s*=\\s*(\\S+)`).exec(text)?.[1] ?? '';
  return { accessKeyId: value('aws_access_key_id'), secretAccessKey: value('aws_secret_access_key'), region: value('region') };
}

describe('strongroom serve', () => {
  test('first start: prints the administrator once, writes private files, answers, stops cleanly on SIGTERM', async () => {
    const server = await startServerProcess(['--workers', '2']);
    assert.ok(server.endpoint, server.stderr());
    assert.match(server.stdout(), /aws_secret_access_key = \S{40}/);
    assert.equal(statSync(join(server.dataDir, 'credentials')).mode & 0o777, 0o600);
    assert.equal(statSync(join(server.dataDir, 'root.key')).mode & 0o777, 0o600);
    const { accessKeyId, secretAccessKey, region } = credentialsOf(server.dataDir);
    assert.equal(region, 'us-east-1');
    const kms = new KMSClient({ endpoint: server.endpoint, region, credentials: { accessKeyId, secretAccessKey } });
    assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys, []);
    kms.destroy();
    assert.equal(await server.stop('SIGTERM'), 0);

    const again = await startServerProcess([], server.dataDir);
    assert.ok(again.endpoint);
    assert.doesNotMatch(again.stdout(), /aws_secret_access_key/, 'the secret is printed only at the first start');
    assert.equal(await again.stop('SIGINT'), 0);
  });

  test('--dev accepts test/test for the development account, still verifying signatures', async () => {
    const server = await startServerProcess(['--dev', '--dev-account-id', '123456789012', '--workers', '1']);
    const client = (secretAccessKey: string) =>
      new KMSClient({ endpoint: server.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'test', secretAccessKey } });
    const good = client('test');
    assert.deepEqual((await good.send(new ListKeysCommand({}))).Keys, []);
    const bad = client('not-test');
    await assert.rejects(bad.send(new ListKeysCommand({})), { name: 'InvalidSignatureException' });
    good.destroy();
    bad.destroy();
    assert.equal(await server.stop(), 0);
  });

  test('refuses to start when its port is taken, saying so', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const server = await startServerProcess(['--port', String(port), '--workers', '1']);
      assert.equal(server.endpoint, '');
      assert.equal(await server.stop(), 1);
      assert.match(server.stderr(), new RegExp(`port ${port} on 127.0.0.1 is already in use`));
    } finally {
      blocker.close();
    }
  });

  test('refuses to start when its data directory is unusable, saying so', async () => {
    const file = join(await newDataDir(), 'not-a-directory');
    writeFileSync(file, 'x');
    const server = await startServerProcess(['--workers', '1'], file);
    assert.equal(server.endpoint, '');
    assert.equal(await server.stop(), 1);
    assert.match(server.stderr(), /data directory .*not-a-directory is unusable/);
  });
});
