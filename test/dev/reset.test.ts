import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccessKeyCommand, CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DecryptCommand, EncryptCommand, GetKeyLastUsageCommand, ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { applySeed } from '../../src/service/seeding/apply-seed.js';
import { readSeedFile } from '../../src/service/seeding/parse-seed-file.js';
import { seedFile } from '../seed/seed-fixtures.js';
import { type Credentials, DEV_ACCOUNT, type DevServer, failure, startDevServer, TEST_CREDENTIALS } from './dev-server.js';

const OTHER_DEV_ACCOUNT = { accessKeyId: '111122223333', secretAccessKey: 'test' };

async function keyCount(server: DevServer, credentials: Credentials = TEST_CREDENTIALS): Promise<number> {
  return (await server.kms(credentials).send(new ListKeysCommand({}))).Keys?.length ?? 0;
}

describe('development mode reset', () => {
  test('a signed reset clears keys, aliases, grants and IAM principals of every account; accounts and root credentials stay', async () => {
    const server = await startDevServer();
    try {
      const dev = server.kms();
      const { KeyMetadata } = await dev.send(new CreateKeyCommand({}));
      await dev.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: KeyMetadata!.KeyId! }));
      await dev.send(new CreateGrantCommand({ KeyId: KeyMetadata!.KeyId!, GranteePrincipal: `arn:aws:iam::${OTHER_DEV_ACCOUNT.accessKeyId}:root`, Operations: ['Encrypt'] }));
      await server.kms(OTHER_DEV_ACCOUNT).send(new CreateKeyCommand({}));
      await server.kms(server.administrator).send(new CreateKeyCommand({}));
      await server.iam(server.administrator).send(new CreateUserCommand({ UserName: 'alice' }));
      const aliceKey = (await server.iam(server.administrator).send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;

      const reset = await server.post('/_strongroom/reset', TEST_CREDENTIALS);
      assert.equal(reset.status, 200);
      assert.deepEqual(reset.body, {
        status: 'ok',
        cleared: { keys: 3, aliases: 1, grants: 1, users: 1, roles: 0, policies: 0, accessKeys: 1, keyStores: 0 },
        reseeded: false,
      });

      assert.equal(await keyCount(server), 0);
      assert.equal(await keyCount(server, OTHER_DEV_ACCOUNT), 0);
      assert.equal(await keyCount(server, server.administrator), 0);
      assert.deepEqual((await dev.send(new ListAliasesCommand({}))).Aliases?.filter((alias) => alias.AliasName === 'alias/app'), []);
      assert.deepEqual((await server.iam(server.administrator).send(new ListUsersCommand({}))).Users, []);
      // The administrator's account and root credentials are the server's configuration: they keep working.
      const identity = await server.sts(server.administrator).send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, server.administrator.accountId);
      // The IAM user's key went with the user.
      const alice = { accessKeyId: aliceKey.AccessKeyId!, secretAccessKey: aliceKey.SecretAccessKey! };
      assert.equal(await failure(server.sts(alice).send(new GetCallerIdentityCommand({}))), 'InvalidClientTokenId');
      // The same alias name can be used again at once.
      const again = await dev.send(new CreateKeyCommand({}));
      await dev.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: again.KeyMetadata!.KeyId! }));
    } finally {
      await server.stop();
    }
  });

  test('the reset is recorded in the audit trail, with who asked', async () => {
    const server = await startDevServer();
    try {
      await server.post('/_strongroom/reset', TEST_CREDENTIALS);
      const { Events } = await server.cloudTrail().send(new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ResetState' }],
      }));
      assert.equal(Events?.length, 1);
      const record = JSON.parse(Events![0]!.CloudTrailEvent!) as { userIdentity: { arn: string }; readOnly: boolean; eventType: string };
      assert.equal(record.userIdentity.arn, `arn:aws:iam::${DEV_ACCOUNT}:root`);
      assert.equal(record.readOnly, false);
      assert.equal(record.eventType, 'AwsApiCall');
    } finally {
      await server.stop();
    }
  });

  test("moto's unsigned POST /moto-api/reset resets too", async () => {
    const server = await startDevServer();
    try {
      await server.kms().send(new CreateKeyCommand({}));
      const reset = await server.post('/moto-api/reset');
      assert.equal(reset.status, 200);
      assert.equal(reset.body['status'], 'ok');
      assert.equal(await keyCount(server), 0);
    } finally {
      await server.stop();
    }
  });

  test('the signed route takes only the development account root; other methods are unknown requests', async () => {
    const server = await startDevServer();
    try {
      await server.kms().send(new CreateKeyCommand({}));
      const unsigned = await server.post('/_strongroom/reset');
      assert.equal(unsigned.body['__type'], 'MissingAuthenticationTokenException');
      const administrator = await server.post('/_strongroom/reset', server.administrator);
      assert.equal(administrator.status, 400);
      assert.equal(administrator.body['__type'], 'AccessDeniedException');
      const otherAccount = await server.post('/_strongroom/reset', OTHER_DEV_ACCOUNT, 'kms');
      assert.equal(otherAccount.body['__type'], 'AccessDeniedException');
      const wrongSecret = await server.post('/_strongroom/reset', { accessKeyId: 'test', secretAccessKey: 'wrong' });
      assert.equal(wrongSecret.body['__type'], 'InvalidSignatureException');
      const get = await fetch(`${server.endpoint}/moto-api/reset`);
      assert.equal(((await get.json()) as Record<string, unknown>)['__type'], 'UnknownOperationException');
      assert.equal(await keyCount(server), 1, 'nothing was reset');
      // Any service name in the credential scope is fine.
      assert.equal((await server.post('/_strongroom/reset', TEST_CREDENTIALS, 'kms')).status, 200);
    } finally {
      await server.stop();
    }
  });

  test('outside development mode both routes are unknown requests and clear nothing', async () => {
    const server = await startDevServer({ dev: false });
    try {
      const admin = server.kms(server.administrator);
      await admin.send(new CreateKeyCommand({}));
      for (const path of ['/moto-api/reset', '/_strongroom/reset']) {
        const answer = await server.post(path, server.administrator);
        assert.equal(answer.status, 400);
        assert.equal(answer.body['__type'], 'UnknownOperationException');
      }
      assert.equal(await keyCount(server, server.administrator), 1);
    } finally {
      await server.stop();
    }
  });

  test('the seed file given at start is applied again: seeded keys and aliases come back with their material', async () => {
    const keyId = '6f1b4b4e-5a8e-4c1e-9d59-3c2a7f0e1a01';
    const path = await seedFile(
      ['version: 1', 'keys:', `  - id: ${keyId}`, `    material: ${randomBytes(32).toString('base64')}`, '    aliases: [alias/seeded]', ''].join('\n'),
    );
    const server = await startDevServer({ seedFile: path });
    try {
      await applySeed(server.node.deps, await readSeedFile(path)); // what `serve --seed` does at start
      const dev = server.kms();
      const { CiphertextBlob } = await dev.send(new EncryptCommand({ KeyId: 'alias/seeded', Plaintext: Buffer.from('kept') }));
      await dev.send(new CreateKeyCommand({}));
      const reset = await server.post('/_strongroom/reset', TEST_CREDENTIALS);
      assert.equal(reset.body['reseeded'], true);
      assert.deepEqual((await dev.send(new ListKeysCommand({}))).Keys?.map((key) => key.KeyId), [keyId]);
      const { Plaintext, KeyId } = await dev.send(new DecryptCommand({ CiphertextBlob }));
      assert.equal(Buffer.from(Plaintext!).toString(), 'kept');
      assert.match(KeyId!, new RegExp(keyId));
    } finally {
      await server.stop();
    }
  });

  test('a key made again with the same id and revision does not see the grants of the one before, in another process', async () => {
    // Two nodes on one data directory are two worker processes: each has its own connection and caches. With one
    // frozen clock the key made again has the very creation time of the one before: only the reset tells them apart.
    const frozen = Date.now();
    const now = () => frozen;
    const first = await startDevServer({ now });
    const second = await startDevServer({ now, dataDir: first.dataDir, audit: false });
    const keyId = '0b7e5c1e-7d2a-4f7e-8a43-5a1c9e2d4f10';
    const tags = [{ TagKey: '_custom_id_', TagValue: keyId }];
    const encryptAsOther = () =>
      second.kms(OTHER_DEV_ACCOUNT).send(new EncryptCommand({ KeyId: `arn:aws:kms:us-east-1:${DEV_ACCOUNT}:key/${keyId}`, Plaintext: Buffer.from('x') }));
    try {
      await first.kms().send(new CreateKeyCommand({ Tags: tags }));
      await first.kms().send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: `arn:aws:iam::${OTHER_DEV_ACCOUNT.accessKeyId}:root`, Operations: ['Encrypt'] }));
      await encryptAsOther(); // allowed by the grant; the second node caches the key's grants at revision 2

      assert.equal((await first.post('/_strongroom/reset', TEST_CREDENTIALS)).status, 200);
      await first.kms().send(new CreateKeyCommand({ Tags: tags }));
      await first.kms().send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: 'arn:aws:iam::444455556666:root', Operations: ['Encrypt'] }));
      assert.equal((await first.kms().send(new ListGrantsCommand({ KeyId: keyId }))).Grants?.length, 1);

      assert.equal(await failure(encryptAsOther()), 'AccessDeniedException');
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  test('GetKeyLastUsage of a key made again after a reset does not report the use of the key before', async () => {
    let clock = Date.now();
    const server = await startDevServer({ now: () => clock });
    const keyId = '5d1b2c3e-0a4f-4b6c-9d7e-8f9a0b1c2d3e';
    const tags = [{ TagKey: '_custom_id_', TagValue: keyId }];
    try {
      const dev = server.kms();
      await dev.send(new CreateKeyCommand({ Tags: tags }));
      await dev.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
      assert.equal((await dev.send(new GetKeyLastUsageCommand({ KeyId: keyId }))).KeyLastUsage?.Operation, 'Encrypt');

      assert.equal((await server.post('/_strongroom/reset', TEST_CREDENTIALS)).status, 200);
      clock += 2000; // a later second: the trail's records keep whole seconds
      await dev.send(new CreateKeyCommand({ Tags: tags }));
      assert.equal((await dev.send(new GetKeyLastUsageCommand({ KeyId: keyId }))).KeyLastUsage, undefined);
    } finally {
      await server.stop();
    }
  });

  test('resetting 1,000 keys (the time is printed, not asserted)', async (t) => {
    const server = await startDevServer();
    try {
      const dev = server.kms();
      for (let batch = 0; batch < 50; batch++) {
        await Promise.all(Array.from({ length: 20 }, () => dev.send(new CreateKeyCommand({}))));
      }
      const started = performance.now();
      const reset = await server.post('/_strongroom/reset', TEST_CREDENTIALS);
      const elapsedMs = performance.now() - started;
      assert.deepEqual((reset.body['cleared'] as { keys: number }).keys, 1000);
      const logged = server.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line['event'] === 'development-state-reset');
      t.diagnostic(`reset of 1,000 keys: ${elapsedMs.toFixed(1)} ms for the request, ${String(logged?.['clearedMs'])} ms in the store`);
      assert.equal(await keyCount(server), 0);
    } finally {
      await server.stop();
    }
  });
});
