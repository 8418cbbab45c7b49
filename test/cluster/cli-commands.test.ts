import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import {
  credentialsIn, initDatabase, kmsClientOf, newClusterDir, runStrongroom, startNode, type ClusterNode, type Credentials,
} from '../support/cluster.js';
import { createTestDatabase, startTestPostgres } from '../support/postgres.js';

/*
 * The administrator's commands that take `--data-dir` on one machine take `--database-url` (with
 * `--root-key-file`) on a shared database, and work while nodes serve from it: what they change is enforced by the
 * nodes' next requests.
 */
const postgres = await startTestPostgres();
after(() => postgres.found?.stop());

describe('CLI commands on a shared database', { skip: postgres.skip }, () => {
  let databaseUrl = '';
  let rootKeyFile = '';
  let admin: Credentials;
  let node: ClusterNode;
  const strongroom = (...args: string[]) => runStrongroom([...args, '--database-url', databaseUrl, '--root-key-file', rootKeyFile]);

  before(async () => {
    const dir = await newClusterDir();
    databaseUrl = await createTestDatabase(postgres.found!, 'cli');
    rootKeyFile = join(dir, 'root.key');
    admin = (await initDatabase(databaseUrl, rootKeyFile, join(dir, 'credentials'))).credentials;
    node = await startNode('A', { databaseUrl, rootKeyFile });
  });
  after(async () => node?.stop());

  test('accounts create and list: the new account\'s root signs requests on the node at once', async () => {
    const created = await strongroom('accounts', 'create', '--account-id', '123456789012');
    assert.equal(created.status, 0, created.stderr);
    const listed = await strongroom('accounts', 'list');
    assert.match(listed.stdout, /123456789012/);
    const kms = kmsClientOf(node, credentialsIn(created.stdout));
    assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys, []);
  });

  test('iam: a user made from the CLI gets an access key the node accepts; deleting it locks the user out', async () => {
    assert.equal((await strongroom('iam', 'create-user', '--user-name', 'alice')).status, 0);
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });
    const put = await strongroom('iam', 'put-user-policy', '--user-name', 'alice', '--policy-name', 'all', '--policy-document', policy);
    assert.equal(put.status, 0, put.stderr);
    const keyResult = await strongroom('iam', 'create-access-key', '--user-name', 'alice');
    assert.equal(keyResult.status, 0, keyResult.stderr);
    const accessKey = JSON.parse(keyResult.stdout) as { accessKeyId: string; secretAccessKey: string };
    const alice = kmsClientOf(node, accessKey);
    const { KeyMetadata } = await alice.send(new CreateKeyCommand({}));
    await alice.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId!, Plaintext: Buffer.from('x') }));

    const deleted = await strongroom('iam', 'delete-access-key', '--user-name', 'alice', '--access-key-id', accessKey.accessKeyId);
    assert.equal(deleted.status, 0, deleted.stderr);
    await assert.rejects(alice.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId! })), { name: 'UnrecognizedClientException' });
  });

  test('authz explain reads the database\'s policies; seed applies a file to it', async () => {
    const kms = kmsClientOf(node, admin);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const explained = await strongroom('authz', 'explain', '--principal', `arn:aws:iam::${KeyMetadata!.AWSAccountId!}:root`,
      '--action', 'kms:Encrypt', '--key', KeyMetadata!.Arn!);
    assert.equal(explained.status, 0, explained.stdout + explained.stderr);
    assert.match(explained.stdout, /allow/i);

    const dir = await newClusterDir();
    const seedFile = join(dir, 'seed.json');
    await writeFile(seedFile, JSON.stringify({
      version: 1,
      defaults: { account: KeyMetadata!.AWSAccountId!, region: 'us-east-1' },
      keys: [{ id: '11111111-2222-3333-4444-555555555555', description: 'seeded' }],
    }));
    const seeded = await strongroom('seed', seedFile);
    assert.equal(seeded.status, 0, seeded.stdout + seeded.stderr);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' }));
    assert.equal(described.KeyMetadata?.Description, 'seeded');
  });
});
