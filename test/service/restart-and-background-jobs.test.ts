import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { startTestServer } from '../support/server.js';

const DAY = 24 * 60 * 60 * 1000;

describe('durability and background jobs', () => {
  test('a restart keeps every key, alias, tag, policy and rotation', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-restart-'));
    try {
      const first = await startTestServer({ dataDir });
      const kms = first.kms();
      const { KeyMetadata } = await kms.send(
        new CreateKeyCommand({ Description: 'kept', Tags: [{ TagKey: 'team', TagValue: 'platform' }] }),
      );
      const keyId = KeyMetadata!.KeyId!;
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: keyId }));
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${first.accountId}:root` }, Action: 'kms:*', Resource: '*' }],
      });
      await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: policy }));
      const before = await kms.send(new EncryptCommand({ KeyId: 'alias/kept', Plaintext: Buffer.from('before rotation') }));
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
      await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 180 }));
      await first.stop();

      const second = await startTestServer({ dataDir });
      const again = second.kms();
      assert.equal(second.accountId, first.accountId);
      const described = await again.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }));
      assert.equal(described.KeyMetadata?.Description, 'kept');
      assert.deepEqual((await again.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags, [{ TagKey: 'team', TagValue: 'platform' }]);
      assert.equal((await again.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy, policy);
      const status = await again.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
      assert.equal(status.KeyRotationEnabled, true);
      assert.equal(status.RotationPeriodInDays, 180);
      assert.equal((await again.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations?.length, 1);
      const decrypted = await again.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }));
      assert.equal(Buffer.from(decrypted.Plaintext!).toString(), 'before rotation');
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('automatic rotation runs when its date passes; deletion happens when the waiting period ends', async () => {
    let now = Date.now();
    const server = await startTestServer({ now: () => now });
    try {
      const kms = server.kms();
      const rotating = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await kms.send(new EnableKeyRotationCommand({ KeyId: rotating, RotationPeriodInDays: 90 }));
      const old = await kms.send(new EncryptCommand({ KeyId: rotating, Plaintext: Buffer.from('old') }));
      const doomed = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));

      now += 6 * DAY;
      assert.deepEqual(await server.node.runDueJobs(), [], 'nothing is due yet');

      now += 2 * DAY;
      const deleted = await server.node.runDueJobs();
      assert.deepEqual(deleted.map((event) => [event.eventName, event.key.id]), [['DeleteKey', doomed]]);
      // The SDK signs with the real clock; the server's clock has moved on, so use a fresh server view instead.
      assert.equal(await server.node.store.keys.get({ accountId: server.accountId, region: 'us-east-1' }, doomed), undefined);

      now += 90 * DAY;
      const rotated = await server.node.runDueJobs();
      assert.deepEqual(rotated.map((event) => [event.eventName, event.key.id]), [['RotateKey', rotating]]);
      const key = await server.node.store.keys.get({ accountId: server.accountId, region: 'us-east-1' }, rotating);
      assert.equal(key?.rotation.nextRotationAt, now + 90 * DAY);
      const materials = await server.node.store.keys.listMaterials(key!.arn);
      assert.deepEqual(materials.map((material) => material.rotationType ?? 'ORIGINAL'), ['ORIGINAL', 'AUTOMATIC']);
      assert.equal(key?.currentMaterialId, materials[1]!.id);
      assert.ok(old.CiphertextBlob);
    } finally {
      await server.stop();
    }
  });

  test('two nodes sharing a data directory rotate a due key once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-two-nodes-'));
    let now = Date.now();
    const first = await startTestServer({ dataDir, now: () => now });
    const second = await startTestServer({ dataDir, now: () => now });
    try {
      const keyId = (await first.kms().send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await first.kms().send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
      now += 91 * DAY;
      const [a, b] = await Promise.all([first.node.runDueJobs(), second.node.runDueJobs()]);
      assert.equal(a.length + b.length, 1, 'exactly one node rotated');
      const key = await second.node.store.keys.get({ accountId: first.accountId, region: 'us-east-1' }, keyId);
      assert.equal((await second.node.store.keys.listMaterials(key!.arn)).length, 2);
    } finally {
      await first.stop();
      await second.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
