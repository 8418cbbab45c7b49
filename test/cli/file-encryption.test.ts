import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateAliasCommand, CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { BUNDLED_CLI } from '../support/server-process.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { cliEnvironment, encryptionSdkOn, runCli, type CliRun } from './file-encryption-support.js';

/** A plaintext no error message, progress line or stray output may ever contain. */
const SENTINEL = 'SENTINEL-PLAINTEXT-7f3a9c';

describe('strongroom encrypt-file / decrypt-file', () => {
  let server: TestServer;
  let dir: string;
  let keyArn: string;
  let otherKeyArn: string;
  let env: Record<string, string>;
  const plaintext = Buffer.concat([Buffer.from(`${SENTINEL}\n`), Buffer.alloc(300_000, 7)]);

  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'strongroom-file-encryption-'));
    keyArn = (await server.kms().send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await server.kms().send(new CreateAliasCommand({ AliasName: 'alias/files', TargetKeyId: keyArn }));
    otherKeyArn = (await server.kms().send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    env = cliEnvironment(server);
    await writeFile(join(dir, 'plain.txt'), plaintext);
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const path = (name: string): string => join(dir, name);
  const cli = (args: readonly string[], extra: Partial<Parameters<typeof runCli>[1]> = {}): Promise<CliRun> => runCli(args, { env, ...extra });

  /** A failed run: exit 1, one line on stderr (no stack trace, no plaintext), matching `message`. */
  function assertFailed(run: CliRun, message: RegExp): void {
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, `one line: ${run.stderr}`);
    assert.doesNotMatch(run.stderr, /^\s+at /m);
    assert.ok(!run.stderr.includes(SENTINEL));
    assert.equal(run.stdout.length, 0);
  }

  /** Names in the directory that a run may have left: OUT itself or a temporary file beside it. */
  async function leftovers(name: string): Promise<string[]> {
    return (await readdir(dir)).filter((entry) => entry === name || entry.startsWith(`.${name}.`));
  }

  test('a file round-trips through encrypt-file and decrypt-file; OUT is 0600 and a pipe gets no progress line', async () => {
    const encrypted = await cli(['encrypt-file', '--key-id', 'alias/files', '--context', 'purpose=backup', path('plain.txt'), path('plain.enc')]);
    assert.equal(encrypted.code, 0, encrypted.stderr);
    assert.equal(encrypted.stderr, '');
    const message = await readFile(path('plain.enc'));
    assert.equal(message[0], 0x02, 'message format version 2 (key-committing)');
    assert.ok(!message.includes(Buffer.from(SENTINEL)));
    assert.equal((await stat(path('plain.enc'))).mode & 0o777, 0o600);

    const decrypted = await cli(['decrypt-file', '--context', 'purpose=backup', path('plain.enc'), path('plain.out')]);
    assert.equal(decrypted.code, 0, decrypted.stderr);
    assert.equal(decrypted.stderr, '');
    assert.deepEqual(await readFile(path('plain.out')), plaintext);
    assert.equal((await stat(path('plain.out'))).mode & 0o777, 0o600);
    assert.deepEqual((await readdir(dir)).filter((name) => name.startsWith('.')), [], 'no temporary file is left');
  });

  test("'-' reads standard input and writes standard output; --endpoint-url names the server", async () => {
    const flagEnv = { ...env };
    delete flagEnv['AWS_ENDPOINT_URL'];
    const endpoint = ['--endpoint-url', server.endpoint];
    const encrypted = await runCli(['encrypt-file', ...endpoint, '--key-id', keyArn, '-', '-'], { env: flagEnv, stdin: plaintext });
    assert.equal(encrypted.code, 0, encrypted.stderr);
    const decrypted = await runCli(['decrypt-file', ...endpoint, '--key-id', keyArn, '-', '-'], { env: flagEnv, stdin: encrypted.stdout });
    assert.equal(decrypted.code, 0, decrypted.stderr);
    assert.deepEqual(decrypted.stdout, plaintext);
  });

  test('credentials from --profile and the endpoint from AWS_ENDPOINT_URL_KMS, as the AWS CLI reads them', async () => {
    const credentials = path('aws-credentials');
    await writeFile(
      credentials,
      `[files]\naws_access_key_id = ${server.credentials.accessKeyId}\naws_secret_access_key = ${server.credentials.secretAccessKey}\n`,
    );
    const profileEnv = {
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      AWS_CONFIG_FILE: '/nonexistent/strongroom-test-aws-config',
      AWS_ENDPOINT_URL_KMS: server.endpoint,
    };
    const run = await runCli(['encrypt-file', '--profile', 'files', '--region', 'eu-west-1', '--key-id', keyArn, path('plain.txt'), '-'], { env: profileEnv });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.length > plaintext.length);
  });

  test('a file encrypted by the CLI decrypts with the AWS Encryption SDK, with its encryption context', async () => {
    const sdk = encryptionSdkOn(server);
    try {
      const run = await cli(['encrypt-file', '--key-id', 'alias/files', '--context', 'tenant=a', '--context', 'path=/x=y', path('plain.txt'), path('for-sdk.enc')]);
      assert.equal(run.code, 0, run.stderr);
      const { plaintext: decrypted, encryptionContext } = await sdk.decrypt(keyArn, await readFile(path('for-sdk.enc')));
      assert.deepEqual(decrypted, plaintext);
      assert.equal(encryptionContext['tenant'], 'a');
      assert.equal(encryptionContext['path'], '/x=y');
    } finally {
      sdk.close();
    }
  });

  test('a message from the AWS Encryption SDK decrypts with the CLI (--key-id as an alias, resolved to its ARN)', async () => {
    const sdk = encryptionSdkOn(server);
    try {
      await writeFile(path('from-sdk.enc'), await sdk.encrypt(keyArn, plaintext, { tenant: 'b' }));
    } finally {
      sdk.close();
    }
    const run = await cli(['decrypt-file', '--key-id', 'alias/files', '--context', 'tenant=b', path('from-sdk.enc'), path('from-sdk.out')]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await readFile(path('from-sdk.out')), plaintext);
  });

  test('a wrong or missing encryption context is refused, leaving no OUT and an existing OUT untouched', async () => {
    assert.equal((await cli(['encrypt-file', '--key-id', 'alias/files', '--context', 'purpose=backup', path('plain.txt'), path('ctx.enc')])).code, 0);
    assertFailed(
      await cli(['decrypt-file', '--context', 'purpose=restore', path('ctx.enc'), path('ctx.out')]),
      /^strongroom: decrypt-file: the message's encryption context does not match --context: it has another value for 'purpose'\n$/,
    );
    assert.deepEqual(await leftovers('ctx.out'), []);

    await writeFile(path('ctx.out'), 'earlier contents');
    assertFailed(await cli(['decrypt-file', '--context', 'tenant=a', path('ctx.enc'), path('ctx.out')]), /it has no 'tenant'/);
    assert.equal(await readFile(path('ctx.out'), 'utf8'), 'earlier contents');
    assert.deepEqual(await leftovers('ctx.out'), ['ctx.out']);
  });

  test('--key-id on decrypt-file refuses a message under another key, naming the key it names', async () => {
    assert.equal((await cli(['encrypt-file', '--key-id', otherKeyArn, path('plain.txt'), path('other.enc')])).code, 0);
    assertFailed(
      await cli(['decrypt-file', '--key-id', 'alias/files', path('other.enc'), path('other.out')]),
      new RegExp(`the message was not encrypted under a key given with --key-id \\(it names ${otherKeyArn}\\)`),
    );
    assert.deepEqual(await leftovers('other.out'), []);
  });

  test('a disabled key gives a one-line DisabledException and no output, on decrypt and on encrypt', async () => {
    const keyId = (await server.kms().send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const encrypted = await cli(['encrypt-file', '--key-id', keyId, path('plain.txt'), path('disabled.enc')]);
    assert.equal(encrypted.code, 0, encrypted.stderr);
    await server.kms().send(new DisableKeyCommand({ KeyId: keyId }));

    assertFailed(
      await cli(['decrypt-file', path('disabled.enc'), path('disabled.out')]),
      /^strongroom: decrypt-file: KMS refused Decrypt: DisabledException: arn:aws:kms:us-east-1:\d{12}:key\/[-0-9a-f]+ is disabled\.\n$/,
    );
    assert.deepEqual(await leftovers('disabled.out'), []);
    assertFailed(
      await cli(['encrypt-file', '--key-id', keyId, path('plain.txt'), path('disabled-again.enc')]),
      /^strongroom: encrypt-file: KMS refused GenerateDataKey: DisabledException: .* is disabled\.\n$/,
    );
    assert.deepEqual(await leftovers('disabled-again.enc'), []);
  });

  test('a modified or truncated message is refused and nothing is written', async () => {
    assert.equal((await cli(['encrypt-file', '--key-id', 'alias/files', path('plain.txt'), path('intact.enc')])).code, 0);
    const message = await readFile(path('intact.enc'));
    const tampered = Buffer.from(message);
    const position = message.length - 2000; // inside the last frames, long after plaintext started to flow
    tampered.writeUInt8(tampered.readUInt8(position) ^ 1, position);
    await writeFile(path('tampered.enc'), tampered);
    assertFailed(await cli(['decrypt-file', path('tampered.enc'), path('tampered.out')]), /decrypt-file: the input is not an intact AWS Encryption SDK message/);
    assert.deepEqual(await leftovers('tampered.out'), []);

    // To standard output, frames are written as each is authenticated: what came before the bad frame is out,
    // nothing after it, and the exit status says the whole is not to be trusted (docs/file-encryption.md).
    const streamed = await cli(['decrypt-file', path('tampered.enc'), '-']);
    assert.equal(streamed.code, 1);
    assert.match(streamed.stderr, /not an intact AWS Encryption SDK message/);
    assert.ok(streamed.stdout.length < plaintext.length);
    assert.deepEqual(streamed.stdout, plaintext.subarray(0, streamed.stdout.length));

    await writeFile(path('truncated.enc'), message.subarray(0, message.length - 100));
    assertFailed(await cli(['decrypt-file', path('truncated.enc'), path('truncated.out')]), /not an intact AWS Encryption SDK message/);
    assert.deepEqual(await leftovers('truncated.out'), []);

    assertFailed(await cli(['decrypt-file', path('plain.txt'), path('plain-as-message.out')]), /not an intact AWS Encryption SDK message/);
  });

  test('an interrupted run (SIGINT) removes its temporary file and exits 130', async () => {
    const child = spawn(process.execPath, [BUNDLED_CLI, 'encrypt-file', '--key-id', 'alias/files', '-', path('interrupted.enc')], {
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.on('error', () => undefined); // a child that failed stopped reading: its exit code and stderr say why
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.stdin.write(plaintext); // and never ends it: the command waits for more
    while ((await leftovers('interrupted.enc')).length === 0 && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGINT');
    const [code] = await exited;
    assert.equal(code, 130, stderr);
    assert.deepEqual(await leftovers('interrupted.enc'), []);
  });

  test('an unreachable endpoint, missing credentials and wrong arguments are one-line errors', async () => {
    assertFailed(
      await runCli(['encrypt-file', '--key-id', 'alias/files', path('plain.txt'), path('x.enc')], { env: { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:1' } }),
      /^strongroom: encrypt-file: cannot reach KMS for GenerateDataKey: connect ECONNREFUSED 127\.0\.0\.1:1\n$/,
    );
    const noCredentials = { ...env };
    delete noCredentials['AWS_ACCESS_KEY_ID'];
    delete noCredentials['AWS_SECRET_ACCESS_KEY'];
    assertFailed(await runCli(['encrypt-file', '--key-id', 'alias/files', path('plain.txt'), path('x.enc')], { env: noCredentials }), /encrypt-file: no AWS credentials/);
    assertFailed(await cli(['encrypt-file', '--key-id', 'alias/files', path('missing.txt'), path('x.enc')]), /encrypt-file: ENOENT: no such file or directory, open '.*missing\.txt'/);
    assertFailed(await cli(['encrypt-file', '--key-id', 'alias/files', path('plain.txt'), path('no-such-dir/x.enc')]), /encrypt-file: cannot write .*no-such-dir\/x\.enc: ENOENT/);
    assert.deepEqual(await leftovers('x.enc'), []);

    const usage = await cli(['encrypt-file', path('plain.txt'), path('x.enc')]);
    assert.equal(usage.code, 1);
    assert.match(usage.stderr, /^strongroom: encrypt-file: --key-id is required\nUsage:\n/);
    const help = await cli(['decrypt-file', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout.toString('utf8'), /decrypt-file  Decrypt an AWS Encryption SDK message/);
  });
});
