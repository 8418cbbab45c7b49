import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { runAccountsCommand } from '../../src/cli/accounts.js';
import { runIamCommand } from '../../src/cli/iam.js';
import { startTestServer } from '../support/server.js';
import { allowPolicy, clientsFor, failureOf } from './iam-client.js';

async function run(command: typeof runIamCommand, args: string[]): Promise<string> {
  let output = '';
  assert.equal(await command(args, (text) => (output += text)), 0);
  return output;
}

describe('strongroom accounts / strongroom iam', () => {
  test('accounts create writes root credentials (0600); iam commands make a user whose key works against a server', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-cli-'));
    try {
      const credentialsFile = join(dataDir, 'team.credentials');
      const printed = await run(runAccountsCommand, ['create', '--data-dir', dataDir, '--account-id', '222233334444', '--credentials-file', credentialsFile, '--profile', 'team']);
      assert.match(printed, /Created account 222233334444/);
      const file = await readFile(credentialsFile, 'utf8');
      assert.match(file, /^\[team\]\naws_access_key_id = AKIA[A-Z2-7]{16}\naws_secret_access_key = \S{40}\nregion = us-east-1\n$/);
      assert.equal((await stat(credentialsFile)).mode & 0o777, 0o600);
      assert.match(await run(runAccountsCommand, ['list', '--data-dir', dataDir]), /^222233334444\t/m);
      await assert.rejects(runAccountsCommand(['create', '--data-dir', dataDir, '--account-id', '222233334444'], () => {}), /EntityAlreadyExists/);

      const account = ['--data-dir', dataDir, '--account-id', '222233334444'];
      const user = JSON.parse(await run(runIamCommand, ['create-user', ...account, '--user-name', 'ops'])) as { arn: string };
      assert.equal(user.arn, 'arn:aws:iam::222233334444:user/ops');
      await writeFile(join(dataDir, 'policy.json'), allowPolicy('sts:AssumeRole'));
      await run(runIamCommand, ['put-user-policy', ...account, '--user-name', 'ops', '--policy-name', 'assume', '--policy-document', `file://${join(dataDir, 'policy.json')}`]);
      const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '222233334444' }, Action: 'sts:AssumeRole' }] });
      await run(runIamCommand, ['create-role', ...account, '--role-name', 'ops-role', '--assume-role-policy-document', trust]);
      const key = JSON.parse(await run(runIamCommand, ['create-access-key', ...account, '--user-name', 'ops'])) as { accessKeyId: string; secretAccessKey: string };
      await assert.rejects(runIamCommand(['delete-user', ...account, '--user-name', 'ops'], () => {}), /DeleteConflict/);
      await assert.rejects(runIamCommand(['create-user', ...account, '--user-name', 'bad name'], () => {}), /ValidationError/);

      const server = await startTestServer({ dataDir });
      const ops = clientsFor(server, key);
      try {
        assert.equal((await ops.sts.send(new GetCallerIdentityCommand({}))).Arn, user.arn);
        const { AssumedRoleUser } = await ops.sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222233334444:role/ops-role', RoleSessionName: 'cli' }));
        assert.equal(AssumedRoleUser?.Arn, 'arn:aws:sts::222233334444:assumed-role/ops-role/cli');
        // A change made from the shell while the server runs is seen by the server's next request.
        await run(runIamCommand, ['update-access-key', ...account, '--user-name', 'ops', '--access-key-id', key.accessKeyId, '--status', 'Inactive']);
        assert.match(await run(runIamCommand, ['list-access-keys', ...account, '--user-name', 'ops']), /"status": "Inactive"/);
        assert.equal((await failureOf(ops.sts.send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
        await assert.rejects(
          runIamCommand(['update-access-key', ...account, '--user-name', 'ops', '--access-key-id', key.accessKeyId, '--status', 'On'], () => {}),
          /ValidationError/,
        );
        await run(runIamCommand, ['update-access-key', ...account, '--user-name', 'ops', '--access-key-id', key.accessKeyId, '--status', 'Active']);
        const onlyItself = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222233334444:role/ops-role' }, Action: 'sts:AssumeRole' }] });
        await run(runIamCommand, ['update-assume-role-policy', ...account, '--role-name', 'ops-role', '--policy-document', onlyItself]);
        const refused = await failureOf(ops.sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222233334444:role/ops-role', RoleSessionName: 'cli' })));
        assert.equal(refused.name, 'AccessDenied');
        await run(runIamCommand, ['delete-access-key', ...account, '--user-name', 'ops', '--access-key-id', key.accessKeyId]);
        assert.equal((await failureOf(ops.sts.send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
      } finally {
        ops.close();
        await server.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
