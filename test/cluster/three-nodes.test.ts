import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAccessKeyCommand, CreateUserCommand, DeleteAccessKeyCommand, IAMClient, PutUserPolicyCommand, UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateGrantCommand, CreateKeyCommand, DisableKeyCommand, EnableKeyCommand, EncryptCommand, GetKeyPolicyCommand,
  PutKeyPolicyCommand, RevokeGrantCommand, ScheduleKeyDeletionCommand, type KMSClient,
} from '@aws-sdk/client-kms';
import {
  initDatabase, kmsClientOf, newClusterDir, startNode, verifyAuditTrail, type ClusterNode, type Credentials,
} from '../support/cluster.js';
import { createTestDatabase, startTestPostgres } from '../support/postgres.js';
import { cliErrorCode, cliJson, findAwsCli, runAwsCli, type CliProfile } from './aws-cli.js';

/**
 * Three nodes on one database, after `strongroom init`: the real AWS CLI against each of them, and every change
 * acknowledged by one node enforced by the others on their very next request (their caches warmed first, so a
 * stale cache would show as a wrongful allow).
 */
const postgres = await startTestPostgres({ maxConnections: 200 });
after(() => postgres.found?.stop());
const cli = findAwsCli();

const PLAINTEXT = Buffer.from('three nodes, one database');
const ALLOW_KMS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });

/** The exception name a request failed with, or '' when it succeeded. */
async function outcome(request: Promise<unknown>): Promise<string> {
  try {
    await request;
    return '';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('three nodes on one PostgreSQL database', { skip: postgres.skip }, () => {
  let dir = '';
  let databaseUrl = '';
  let nodes: ClusterNode[] = [];
  let admin: Credentials;
  const clients: Array<{ destroy(): void }> = [];
  /** A KMS client of `node` for `credentials` (the administrator's by default), destroyed at the end. */
  const kms = (node: ClusterNode, credentials: Credentials = admin): KMSClient => {
    const client = kmsClientOf(node, credentials);
    clients.push(client);
    return client;
  };

  before(async () => {
    dir = await newClusterDir();
    databaseUrl = await createTestDatabase(postgres.found!, 'three');
    const rootKeyFile = join(dir, 'root.key');
    admin = (await initDatabase(databaseUrl, rootKeyFile, join(dir, 'credentials'))).credentials;
    // `--workers` works per node: A serves from two worker processes, B and C from their main process (so that
    // each of them has one cache, which the enforcement tests warm before every change).
    // Quotas off: the enforcement rounds disable and enable a key faster than AWS's 5 a second.
    const args = ['--quotas', 'off'];
    nodes = await Promise.all([
      startNode('A', { databaseUrl, rootKeyFile, workers: 2, args }),
      startNode('B', { databaseUrl, rootKeyFile, args }),
      startNode('C', { databaseUrl, rootKeyFile, args }),
    ]);
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await Promise.all(nodes.map((node) => node.stop()));
  });

  test('the AWS CLI against each node: a key made on A is described and used on B and C', { skip: cli.skip }, async () => {
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const profile: CliProfile = { credentialsFile: join(dir, 'credentials') };
    const aws = (node: ClusterNode, ...args: string[]) => runAwsCli(cli.path!, node.endpoint, profile, args);

    const accounts = await Promise.all(nodes.map(async (node) => cliJson(await aws(node, 'sts', 'get-caller-identity'))['Account']));
    assert.equal(new Set(accounts).size, 1, 'one account, whichever node answers');

    const created = cliJson(await aws(a, 'kms', 'create-key', '--description', 'made on A'));
    const { KeyId: keyId, Arn: arn } = created['KeyMetadata'] as { KeyId: string; Arn: string };
    for (const node of [b, c]) {
      const described = cliJson(await aws(node, 'kms', 'describe-key', '--key-id', keyId))['KeyMetadata'] as Record<string, unknown>;
      assert.deepEqual([described['Arn'], described['KeyState'], described['Description']], [arn, 'Enabled', 'made on A'], node.name);
    }
    writeFileSync(join(dir, 'plain.txt'), PLAINTEXT);
    const encrypted = cliJson(await aws(b, 'kms', 'encrypt', '--key-id', keyId, '--plaintext', `fileb://${join(dir, 'plain.txt')}`));
    writeFileSync(join(dir, 'cipher.bin'), Buffer.from(encrypted['CiphertextBlob'] as string, 'base64'));
    const decrypted = cliJson(await aws(c, 'kms', 'decrypt', '--ciphertext-blob', `fileb://${join(dir, 'cipher.bin')}`));
    assert.deepEqual(Buffer.from(decrypted['Plaintext'] as string, 'base64'), PLAINTEXT, 'encrypted on B, decrypted on C');
    assert.equal(decrypted['KeyId'], arn);

    cliJson(await aws(c, 'kms', 'create-alias', '--alias-name', 'alias/three-nodes', '--target-key-id', keyId));
    const byAlias = cliJson(await aws(a, 'kms', 'describe-key', '--key-id', 'alias/three-nodes'))['KeyMetadata'] as Record<string, unknown>;
    assert.equal(byAlias['Arn'], arn, 'an alias made on C names the key on A');

    const encryptOn = (node: ClusterNode) => aws(node, 'kms', 'encrypt', '--key-id', 'alias/three-nodes', '--plaintext', `fileb://${join(dir, 'plain.txt')}`);
    cliJson(await aws(a, 'kms', 'disable-key', '--key-id', keyId));
    assert.equal(cliErrorCode(await encryptOn(b)), 'DisabledException', 'disabled on A, refused on B');
    cliJson(await aws(c, 'kms', 'enable-key', '--key-id', keyId));
    assert.equal(cliErrorCode(await encryptOn(b)), '', 'enabled on C, used on B');
    cliJson(await aws(a, 'kms', 'schedule-key-deletion', '--key-id', keyId, '--pending-window-in-days', '7'));
    assert.equal(cliErrorCode(await encryptOn(c)), 'KMSInvalidStateException', 'scheduled for deletion on A, refused on C');
    cliJson(await aws(b, 'kms', 'cancel-key-deletion', '--key-id', keyId));
    const cancelled = cliJson(await aws(c, 'kms', 'describe-key', '--key-id', keyId))['KeyMetadata'] as Record<string, unknown>;
    assert.equal(cancelled['KeyState'], 'Disabled', 'a cancelled deletion leaves the key disabled, as on AWS');
  });

  describe('a change acknowledged by node A is enforced by B and C on their next request', () => {
    let keyId = '';
    const encrypt = (client: KMSClient) => outcome(client.send(new EncryptCommand({ KeyId: keyId, Plaintext: PLAINTEXT })));
    /** Encrypts on B and C (twice each: their caches hold the key, the principal and its permissions). */
    async function warm(credentials: Credentials = admin): Promise<void> {
      for (const node of nodes.slice(1)) {
        for (let i = 0; i < 2; i++) assert.equal(await encrypt(kms(node, credentials)), '', `allowed on ${node.name} before the change`);
      }
    }
    async function refusedOnOthers(credentials: Credentials, expected: string): Promise<void> {
      const refusals = await Promise.all(nodes.slice(1).map((node) => encrypt(kms(node, credentials))));
      assert.deepEqual(refusals, [expected, expected], 'refused on B and C');
    }

    /** An IAM user of the account with an access key, allowed `kms:*` by an inline policy unless `allowKms` is false. */
    async function iamUser(userName: string, allowKms = true): Promise<{ arn: string; credentials: Credentials }> {
      const iam = new IAMClient({ endpoint: nodes[0]!.endpoint, region: 'us-east-1', credentials: admin, maxAttempts: 1 });
      clients.push(iam);
      const { User } = await iam.send(new CreateUserCommand({ UserName: userName }));
      if (allowKms) await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'kms', PolicyDocument: ALLOW_KMS }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
      return { arn: User!.Arn!, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
    }

    before(async () => {
      keyId = (await kms(nodes[0]!).send(new CreateKeyCommand({ Description: 'enforcement' }))).KeyMetadata!.KeyId!;
    });

    test('a disabled key, over and over, each change made on one node and checked on the two others', async () => {
      for (let round = 0; round < 9; round++) {
        const [changer, ...others] = [nodes[round % 3]!, nodes[(round + 1) % 3]!, nodes[(round + 2) % 3]!];
        for (const node of others) assert.equal(await encrypt(kms(node)), '', `round ${round}: allowed on ${node.name}`);
        await kms(changer).send(new DisableKeyCommand({ KeyId: keyId }));
        const refusals = await Promise.all(others.map((node) => encrypt(kms(node))));
        assert.deepEqual(refusals, ['DisabledException', 'DisabledException'], `round ${round}: disabled on ${changer.name}`);
        await kms(changer).send(new EnableKeyCommand({ KeyId: keyId }));
      }
    });

    test('a key policy that now denies the user', async () => {
      const alice = await iamUser('alice');
      await warm(alice.credentials);
      const a = kms(nodes[0]!);
      const policy = JSON.parse((await a.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!) as {
        Statement: unknown[];
      };
      policy.Statement.push({ Sid: 'DenyAlice', Effect: 'Deny', Principal: { AWS: alice.arn }, Action: 'kms:Encrypt', Resource: '*' });
      await a.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify(policy) }));
      await refusedOnOthers(alice.credentials, 'AccessDeniedException');
      await warm(admin); // the administrator is not denied
    });

    test('a revoked grant', async () => {
      const bob = await iamUser('bob', false);
      const a = kms(nodes[0]!);
      assert.equal(await encrypt(kms(nodes[1]!, bob.credentials)), 'AccessDeniedException', 'no permission before the grant');
      const { GrantId } = await a.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: bob.arn, Operations: ['Encrypt'] }));
      await warm(bob.credentials); // the grant made on A is honoured on B and C at once, too
      await a.send(new RevokeGrantCommand({ KeyId: keyId, GrantId }));
      await refusedOnOthers(bob.credentials, 'AccessDeniedException');
    });

    test('a deleted IAM access key', async () => {
      const carol = await iamUser('carol');
      await warm(carol.credentials);
      const iam = new IAMClient({ endpoint: nodes[0]!.endpoint, region: 'us-east-1', credentials: admin, maxAttempts: 1 });
      clients.push(iam);
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'carol', AccessKeyId: carol.credentials.accessKeyId }));
      await refusedOnOthers(carol.credentials, 'UnrecognizedClientException');
    });

    test('a deactivated IAM access key', async () => {
      const dan = await iamUser('dan');
      await warm(dan.credentials);
      const iam = new IAMClient({ endpoint: nodes[0]!.endpoint, region: 'us-east-1', credentials: admin, maxAttempts: 1 });
      clients.push(iam);
      await iam.send(new UpdateAccessKeyCommand({ UserName: 'dan', AccessKeyId: dan.credentials.accessKeyId, Status: 'Inactive' }));
      await refusedOnOthers(dan.credentials, 'UnrecognizedClientException');
    });

    test('a key scheduled for deletion', async () => {
      await warm();
      await kms(nodes[0]!).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      await refusedOnOthers(admin, 'KMSInvalidStateException');
    });
  });

  test('the audit trail read on any node holds every node\'s records, and every chain verifies', async () => {
    const trails = await Promise.all(nodes.map(async (node) => {
      const cloudTrail = new CloudTrailClient({ endpoint: node.endpoint, region: 'us-east-1', credentials: admin, maxAttempts: 1 });
      clients.push(cloudTrail);
      const { Events } = await cloudTrail.send(new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DisableKey' }], MaxResults: 50,
      }));
      return (Events ?? []).map((event) => event.EventId).sort();
    }));
    // Nine rounds disabled the key, on A, B and C in turn (and the AWS CLI test once more on A, when it ran).
    assert.ok(trails[0]!.length >= 9, `${trails[0]!.length} DisableKey events`);
    assert.deepEqual(trails[1], trails[0], 'B reads what A reads');
    assert.deepEqual(trails[2], trails[0], 'C reads what A reads');
    const verify = await verifyAuditTrail(databaseUrl, join(dir, 'root.key'));
    assert.equal(verify.status, 0, `${verify.stdout}\n${verify.stderr}`);
  });

  test('each node stops cleanly on SIGTERM', async () => {
    const codes = await Promise.all(nodes.map((node) => node.stop()));
    assert.deepEqual(codes, [0, 0, 0], nodes.map((node) => node.stderr()).join('\n'));
  });
});
