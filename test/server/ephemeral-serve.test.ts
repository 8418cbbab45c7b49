import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { readyEndpoint } from '../support/server-process.js';
import { PROJECT_ROOT } from '../support/shared.js';

/** `strongroom serve --ephemeral` from the sources, in `cwd`, with `env` added; resolves once it is ready. */
async function startEphemeral(cwd: string, env: Record<string, string>) {
  // tsx by its resolved location: the empty working directory has no node_modules to find it in.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(PROJECT_ROOT, 'src/cli/main.ts'), 'serve', '--ephemeral', '--port', '0'], {
    cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const output = { text: '' };
  const endpoint = await readyEndpoint(child, () => stderr, output);
  return {
    endpoint,
    readyLine: () => output.text,
    async stop() {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0, stderr);
    },
  };
}

test('serve --ephemeral writes nothing: no data directory, nothing in its working directory or HOME', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'strongroom-ephemeral-'));
  const dataDir = join(empty, 'data-dir-that-must-not-exist');
  try {
    const server = await startEphemeral(empty, { HOME: empty, STRONGROOM_DATA_DIR: dataDir });
    assert.match(server.readyLine(), /ephemeral: in memory, nothing written, 1 worker, development mode: test\/test is the root of account 000000000000/);
    const options = { endpoint: server.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const kms = new KMSClient(options);
    const cloudTrail = new CloudTrailClient(options);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'ephemeral' }));
    assert.equal(KeyMetadata?.Arn?.startsWith('arn:aws:kms:eu-west-1:000000000000:key/'), true);
    const plaintext = Buffer.from('kept in memory only');
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId!, Plaintext: plaintext }));
    assert.deepEqual(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: CiphertextBlob! }))).Plaintext!), plaintext);
    const { Events } = await cloudTrail.send(new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: KeyMetadata!.Arn! }],
    }));
    assert.deepEqual(Events?.map((event) => event.EventName).sort(), ['CreateKey', 'Decrypt', 'Encrypt']);
    kms.destroy();
    cloudTrail.destroy();
    await server.stop();
    assert.deepEqual(readdirSync(empty), [], 'nothing in the working directory or HOME');
    assert.equal(existsSync(dataDir), false);

    // Nothing survives: the next ephemeral server starts empty.
    const next = await startEphemeral(empty, { HOME: empty });
    const again = new KMSClient({ ...options, endpoint: next.endpoint });
    assert.deepEqual((await again.send(new ListKeysCommand({}))).Keys, []);
    again.destroy();
    await next.stop();
    assert.deepEqual(readdirSync(empty), []);
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
});
