import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CreateKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { readServerConfig } from '../../src/server/config.js';
import { isLoopbackHost } from '../../src/server/dev-any-credentials.js';
import { readyEndpoint } from '../support/server-process.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { DEV_ACCOUNT, failure, startDevServer } from './dev-server.js';

const ANYONE = { accessKeyId: 'FOOBARKEY', secretAccessKey: 'FOOBARSECRET' };
const YEAR_MS = 365 * 24 * 3600 * 1000;

describe('--dev-any-credentials', () => {
  test('any access key id is the development account root, a 12-digit one that account root, with any secret', async () => {
    const server = await startDevServer({ devAnyCredentials: true });
    try {
      assert.equal((await server.sts(ANYONE).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${DEV_ACCOUNT}:root`);
      const { KeyMetadata } = await server.kms(ANYONE, 'eu-west-1').send(new CreateKeyCommand({}));
      assert.equal(KeyMetadata?.Arn?.split(':').slice(3, 5).join(':'), `eu-west-1:${DEV_ACCOUNT}`);
      // The same key space as test/test's: the region comes from the credential scope.
      assert.equal((await server.kms(undefined, 'eu-west-1').send(new ListKeysCommand({}))).Keys?.length, 1);
      const numbered = { accessKeyId: '123456789012', secretAccessKey: 'anything' };
      assert.equal((await server.sts(numbered).send(new GetCallerIdentityCommand({}))).Account, '123456789012');
      assert.equal((await server.sts({ accessKeyId: 'test', secretAccessKey: 'not-test' }).send(new GetCallerIdentityCommand({}))).Account, DEV_ACCOUNT);
    } finally {
      await server.stop();
    }
  });

  test('a stored access key is still verified, and no id reaches an account in the store', async () => {
    const server = await startDevServer({ devAnyCredentials: true });
    try {
      const forged = { accessKeyId: server.administrator.accessKeyId, secretAccessKey: 'not-the-secret' };
      assert.equal(await failure(server.kms(forged).send(new ListKeysCommand({}))), 'InvalidSignatureException');
      assert.equal((await server.sts(server.administrator).send(new GetCallerIdentityCommand({}))).Account, server.administrator.accountId);
      const administratorAccount = { accessKeyId: server.administrator.accountId, secretAccessKey: 'test' };
      assert.equal(await failure(server.kms(administratorAccount).send(new ListKeysCommand({}))), 'UnrecognizedClientException');
    } finally {
      await server.stop();
    }
  });

  test('the request must still be SigV4-shaped, but its signing time is not checked against the clock', async () => {
    const server = await startDevServer({ devAnyCredentials: true });
    try {
      // A client under a frozen clock (freezegun in moto's tests) signs with a time long past.
      const pastClock = server.kms(ANYONE, 'us-east-1', { systemClockOffset: -YEAR_MS });
      assert.deepEqual((await pastClock.send(new ListKeysCommand({}))).Keys, []);
      const unsigned = await fetch(`${server.endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' },
        body: '{}',
      });
      assert.equal(((await unsigned.json()) as Record<string, unknown>)['__type'], 'MissingAuthenticationTokenException');
      assert.equal(await failure(server.kms(ANYONE, 'local').send(new ListKeysCommand({}))), 'InvalidSignatureException');
    } finally {
      await server.stop();
    }
  });

  test('without it, an unknown access key id is refused', async () => {
    const server = await startDevServer();
    try {
      assert.equal(await failure(server.kms(ANYONE).send(new ListKeysCommand({}))), 'UnrecognizedClientException');
    } finally {
      await server.stop();
    }
  });

  test('is refused without development mode and on a non-loopback address', () => {
    assert.throws(() => readServerConfig(['--dev-any-credentials'], {}), /needs development mode/);
    assert.throws(() => readServerConfig(['--dev', '--dev-any-credentials', '--host', '0.0.0.0'], {}), /loopback/);
    assert.throws(() => readServerConfig(['--dev'], { STRONGROOM_DEV_ANY_CREDENTIALS: '1', STRONGROOM_HOST: '192.168.1.10' }), /loopback/);
    assert.equal(readServerConfig(['--dev', '--dev-any-credentials', '--host', 'localhost'], {}).devAnyCredentials, true);
    assert.equal(readServerConfig(['--ephemeral'], { STRONGROOM_DEV_ANY_CREDENTIALS: '1' }).devAnyCredentials, true);
    assert.equal(readServerConfig(['--dev'], {}).devAnyCredentials, false);
    for (const host of ['127.0.0.1', '127.10.0.3', '::1', '[::1]', 'localhost', 'LOCALHOST']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com', '127.0.0.1.example.com']) assert.ok(!isLoopbackHost(host), host);
  });

  test('is announced in the ready line and by a warning in the log', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/main.ts'), 'serve', '--ephemeral', '--dev-any-credentials', '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STRONGROOM_DATA_DIR: '' } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const output = { text: '' };
    try {
      await readyEndpoint(child, () => stderr, output);
      assert.match(output.text, /development mode: test\/test is the root of account 000000000000, any access key id accepted unsigned \(--dev-any-credentials\)\)/);
      const warning = stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line['event'] === 'dev-any-credentials');
      assert.equal(warning?.['level'], 'warn');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
