import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import {
  credentialsIn, initDatabase, kmsClientOf, newClusterDir, runStrongroom, startNode, type CommandResult,
} from '../support/cluster.js';
import { createTestDatabase, startTestPostgres } from '../support/postgres.js';

/**
 * `strongroom init` and `strongroom serve --database-url` as an operator meets them: the first start, a second
 * `init`, a node with the wrong root key, and a database that is not there.
 */
const postgres = await startTestPostgres();
after(() => postgres.found?.stop());

/** A password that must never be printed, whatever fails. */
const PASSWORD = `pw-${randomBytes(9).toString('hex')}`;

const everything = (result: CommandResult) => `${result.stdout}\n${result.stderr}`;

/** A local TCP port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

describe('strongroom init and serve on PostgreSQL', { skip: postgres.skip }, () => {
  test('init creates the root key, prepares the database and prints the administrator\'s access key once', async () => {
    const dir = await newClusterDir();
    const databaseUrl = await createTestDatabase(postgres.found!, 'init');
    const [rootKeyFile, credentialsFile] = [join(dir, 'root.key'), join(dir, 'credentials')];
    const { credentials, result } = await initDatabase(databaseUrl, rootKeyFile, credentialsFile);

    assert.equal(statSync(rootKeyFile).size, 32);
    assert.equal(statSync(rootKeyFile).mode & 0o777, 0o600);
    assert.equal(statSync(credentialsFile).mode & 0o777, 0o600);
    assert.match(readFileSync(credentialsFile, 'utf8'), /^\[default\]$/m);
    assert.match(credentials.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(credentials.secretAccessKey.length, 40);
    assert.ok(result.stdout.includes(`aws_access_key_id     = ${credentials.accessKeyId}`), result.stdout);
    assert.ok(result.stdout.includes(`aws_secret_access_key = ${credentials.secretAccessKey}`), result.stdout);

    const again = await runStrongroom(['init', '--database-url', databaseUrl, '--root-key-file', rootKeyFile]);
    assert.notEqual(again.status, 0);
    assert.match(everything(again), /already initiali[sz]ed/i);
    assert.doesNotMatch(everything(again), /aws_secret_access_key/, 'no second administrator');

    // The printed credentials sign requests on a node of that database.
    const node = await startNode('A', { databaseUrl, rootKeyFile });
    const kms = kmsClientOf(node, credentialsIn(result.stdout));
    try {
      assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys, []);
    } finally {
      kms.destroy();
      assert.equal(await node.stop(), 0, 'a clean stop on SIGTERM');
    }
  });

  test('serve on an uninitialised database says to run strongroom init; init keeps an existing root key file', async () => {
    const dir = await newClusterDir();
    const databaseUrl = await createTestDatabase(postgres.found!, 'uninit');
    const rootKeyFile = join(dir, 'root.key');
    const rootKey = randomBytes(32);
    writeFileSync(rootKeyFile, rootKey, { mode: 0o600 });
    // Given through the environment, as a service manager would.
    const serve = await runStrongroom(['serve', '--port', '0', '--workers', '1'], {
      STRONGROOM_DATABASE_URL: databaseUrl, STRONGROOM_ROOT_KEY_FILE: rootKeyFile,
    });
    assert.notEqual(serve.status, 0);
    assert.match(everything(serve), /strongroom init/);

    await initDatabase(databaseUrl, rootKeyFile, join(dir, 'credentials'));
    assert.deepEqual(readFileSync(rootKeyFile), rootKey, 'init used the root key it was given');
  });

  test('a node whose root key does not match the database\'s refuses to start, saying so', async () => {
    const dir = await newClusterDir();
    const databaseUrl = await createTestDatabase(postgres.found!, 'wrongkey');
    await initDatabase(databaseUrl, join(dir, 'root.key'), join(dir, 'credentials'));
    const otherKeyFile = join(dir, 'other.key');
    writeFileSync(otherKeyFile, randomBytes(32), { mode: 0o600 });
    const serve = await runStrongroom(['serve', '--database-url', databaseUrl, '--root-key-file', otherKeyFile, '--port', '0', '--workers', '1']);
    assert.notEqual(serve.status, 0);
    assert.match(everything(serve), /root key/i);
    assert.doesNotMatch(everything(serve), /listening on/);
  });

  test('two inits at once on a new database: one initialises it, the other says it is initialised', async () => {
    const dir = await newClusterDir();
    const databaseUrl = await createTestDatabase(postgres.found!, 'race');
    const rootKeyFile = join(dir, 'root.key');
    const results = await Promise.all([1, 2].map((n) => runStrongroom([
      'init', '--database-url', databaseUrl, '--root-key-file', rootKeyFile, '--credentials-file', join(dir, `credentials-${n}`),
    ])));
    assert.deepEqual(results.map((result) => result.status === 0).sort(), [false, true], results.map(everything).join('\n---\n'));
    const winner = results.find((result) => result.status === 0)!;
    const node = await startNode('A', { databaseUrl, rootKeyFile });
    const kms = kmsClientOf(node, credentialsIn(winner.stdout));
    try {
      assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys, [], 'the printed administrator is the database\'s');
    } finally {
      kms.destroy();
      await node.stop();
    }
  });

  test('PostgreSQL unreachable at start: a clear message, a non-zero exit, never the password', async () => {
    const dir = await newClusterDir();
    const unreachable = `postgresql://strongroom:${PASSWORD}@127.0.0.1:${await closedPort()}/strongroom`;
    const rootKeyFile = join(dir, 'root.key');
    writeFileSync(rootKeyFile, randomBytes(32), { mode: 0o600 });
    const commands = [
      ['init', '--database-url', unreachable, '--root-key-file', rootKeyFile],
      ['serve', '--database-url', unreachable, '--root-key-file', rootKeyFile, '--port', '0', '--workers', '1'],
      ['audit', 'verify', '--database-url', unreachable, '--root-key-file', rootKeyFile],
    ];
    for (const args of commands) {
      const result = await runStrongroom(args);
      const output = everything(result);
      assert.notEqual(result.status, 0, `${args.slice(0, 2).join(' ')} exits non-zero`);
      assert.doesNotMatch(output, /unknown option|usage:/i, `${args.slice(0, 2).join(' ')} takes --database-url`);
      assert.match(output, /database|postgres/i, `${args.slice(0, 2).join(' ')} says what failed: ${output}`);
      assert.ok(!output.includes(PASSWORD), `${args.slice(0, 2).join(' ')} printed the password: ${output}`);
      assert.doesNotMatch(output, /^\s+at /m, 'a message, not a stack trace');
    }
  });

  test('PostgreSQL refusing at start (no such database): a clear message, a non-zero exit, never the password', async () => {
    const dir = await newClusterDir();
    const refused = new URL(postgres.found!.url);
    refused.pathname = '/no_such_database';
    refused.searchParams.set('password', PASSWORD);
    writeFileSync(join(dir, 'root.key'), randomBytes(32), { mode: 0o600 });
    const serve = await runStrongroom([
      'serve', '--database-url', refused.toString(), '--root-key-file', join(dir, 'root.key'), '--port', '0', '--workers', '1',
    ]);
    const output = everything(serve);
    assert.notEqual(serve.status, 0);
    assert.match(output, /no_such_database|does not exist|database/i, output);
    assert.ok(!output.includes(PASSWORD), `the password was printed: ${output}`);
  });
});
