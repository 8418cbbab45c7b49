import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { EncryptCommand } from '@aws-sdk/client-kms';
import { createLogger } from '../../src/observability/logger.js';
import { startObservedServer, type ObservedServer } from './observed-server.js';

const SENTINEL = 'sentinel-plaintext-5a0e2c44-logs';
const TEXT_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|WARN|ERROR) \S.*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An Encrypt with the sentinel as plaintext by a user with no policy: denied, which the server logs. */
async function deniedEncrypt(server: ObservedServer): Promise<void> {
  const keyId = await server.createKey();
  await server.kms().send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(SENTINEL) }));
  const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: server.credentials, maxAttempts: 1 });
  await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }));
  iam.destroy();
  const nobody = server.kms({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
  await assert.rejects(nobody.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(SENTINEL) })), { name: 'AccessDeniedException' });
}

/** The server's log lines: stderr less what Node itself prints there (deprecation and other warnings). */
function logLines(server: ObservedServer): string[] {
  return server.process.stderr().split('\n').filter((line) => line !== '' && !/^\(node:\d+\)|^\s|^To continue|^More information|^versions published|^will require/.test(line));
}

function assertNoSecret(server: ObservedServer): void {
  const log = server.process.stderr();
  for (const secret of [SENTINEL, Buffer.from(SENTINEL).toString('base64'), server.credentials.secretAccessKey]) {
    assert.ok(!log.includes(secret), 'no plaintext or secret access key in the log');
  }
}

void describe('--log-format', () => {
  void test('json (the default): one object per line, with start and stop, and the request id while serving one', async () => {
    const server = await startObservedServer(['--workers', '1']);
    let lines: Record<string, unknown>[];
    try {
      await deniedEncrypt(server);
    } finally {
      await server.stop();
      lines = logLines(server).map((line) => JSON.parse(line) as Record<string, unknown>);
    }
    for (const line of lines) {
      assert.match(String(line['time']), /Z$/);
      assert.ok(['info', 'warn', 'error'].includes(String(line['level'])));
      assert.equal(typeof line['event'], 'string');
    }
    const started = lines.find((line) => line['event'] === 'server-started');
    assert.ok(started, 'a server-started line');
    assert.equal(started['store'], 'sqlite');
    assert.equal(started['workers'], 1);
    assert.equal(started['address'], server.endpoint);
    assert.equal(started['metrics'], server.metricsUrl);
    const denied = lines.find((line) => line['event'] === 'authorization denied');
    assert.ok(denied, 'the denial is logged');
    assert.match(String(denied['requestId']), UUID);
    assert.ok(lines.some((line) => line['event'] === 'server-stopping'));
    assert.ok(lines.some((line) => line['event'] === 'server-stopped'));
    assertNoSecret(server);
  });

  void test('text: one readable line per event', async () => {
    const server = await startObservedServer(['--workers', '1', '--log-format', 'text']);
    try {
      await deniedEncrypt(server);
    } finally {
      await server.stop();
    }
    const lines = logLines(server);
    for (const line of lines) assert.match(line, TEXT_LINE);
    assert.ok(lines.some((line) => line.includes(` INFO server-started address=${server.endpoint} workers=1 store=sqlite `)), lines.join('\n'));
    assert.ok(lines.some((line) => / INFO authorization denied requestId=[0-9a-f-]{36} /.test(line)), lines.join('\n'));
    assert.ok(lines.some((line) => / INFO server-stopping signal=SIGTERM pid=\d+$/.test(line)));
    assertNoSecret(server);
  });

  void test('a text value that is not one bare word is quoted, so that an event stays on one line', () => {
    const written: string[] = [];
    const log = createLogger((line) => written.push(line), { format: 'text' });
    log.error('request-failed', { requestId: 'request-1', operation: 'Encrypt', error: 'Error: boom\n    at somewhere', count: 3, ok: false, detail: { a: 1 } });
    assert.equal(written[0]!.split('\n').length, 2, 'one line, then the newline');
    assert.match(written[0]!, / ERROR request-failed requestId=request-1 operation=Encrypt error="Error: boom\\n {4}at somewhere" count=3 ok=false detail=\{"a":1\}\n$/);
  });
});
