import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('key lifecycle through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  const newKey = async (): Promise<{ id: string; arn: string }> => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    return { id: KeyMetadata?.KeyId ?? '', arn: KeyMetadata?.Arn ?? '' };
  };
  const stateOf = async (keyId: string) =>
    (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState;

  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  test('ScheduleKeyDeletion defaults to 30 days and answers with the key ARN and the date', async () => {
    const key = await newKey();
    const before = Date.now();
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id }));
    assert.equal(scheduled.KeyId, key.arn);
    assert.equal(scheduled.KeyState, 'PendingDeletion');
    assert.equal(scheduled.PendingWindowInDays, 30);
    const deletion = scheduled.DeletionDate?.getTime() ?? 0;
    assert.ok(deletion >= before + 30 * DAY_MS - 1000 && deletion <= Date.now() + 30 * DAY_MS);
    const metadata = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata;
    assert.equal(metadata?.KeyState, 'PendingDeletion');
    assert.equal(metadata?.PendingDeletionWindowInDays, 30);
  });

  test('the waiting period is 7 to 30 days', async () => {
    const key = await newKey();
    for (const days of [6, 31]) {
      await assert.rejects(kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: days })), {
        name: 'ValidationException',
      });
    }
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
    assert.equal(scheduled.PendingWindowInDays, 7);
  });

  test('scheduling twice is KMSInvalidStateException', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
    await assert.rejects(kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 })), {
      name: 'KMSInvalidStateException',
      message: `${key.arn} is pending deletion.`,
    });
  });

  test('a key pending deletion cannot encrypt', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
    await assert.rejects(kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('x') })), {
      name: 'KMSInvalidStateException',
    });
  });

  test('CancelKeyDeletion leaves the key Disabled and answers with its ARN', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.arn, PendingWindowInDays: 7 }));
    const cancelled = await kms.send(new CancelKeyDeletionCommand({ KeyId: key.id }));
    assert.equal(cancelled.KeyId, key.arn);
    const metadata = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata;
    assert.equal(metadata?.KeyState, 'Disabled');
    assert.equal(metadata?.DeletionDate, undefined);
    assert.equal(metadata?.PendingDeletionWindowInDays, undefined);
  });

  test('cancelling a key that is not pending deletion is KMSInvalidStateException', async () => {
    const key = await newKey();
    await assert.rejects(kms.send(new CancelKeyDeletionCommand({ KeyId: key.id })), {
      name: 'KMSInvalidStateException',
      message: `${key.arn} is not pending deletion.`,
    });
  });

  test('deletion operations refuse aliases', async () => {
    await assert.rejects(kms.send(new ScheduleKeyDeletionCommand({ KeyId: 'alias/any' })), {
      name: 'NotFoundException',
    });
  });

  test('DisableKey and EnableKey switch the key state; a pending deletion refuses both', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.id }));
    assert.equal(await stateOf(key.id), 'Disabled');
    await assert.rejects(kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('x') })), {
      name: 'DisabledException',
    });
    await kms.send(new EnableKeyCommand({ KeyId: key.id }));
    assert.equal(await stateOf(key.id), 'Enabled');
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
    await assert.rejects(kms.send(new DisableKeyCommand({ KeyId: key.id })), {
      name: 'KMSInvalidStateException',
      message: `${key.arn} is pending deletion.`,
    });
  });

  test('UpdateKeyDescription changes the description, also of a disabled key', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.id }));
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.arn, Description: 'new words' }));
    const metadata = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata;
    assert.equal(metadata?.Description, 'new words');
  });

  test('a key that does not exist is NotFoundException naming its ARN', async () => {
    const missing = '11111111-2222-3333-4444-555555555555';
    await assert.rejects(kms.send(new DisableKeyCommand({ KeyId: missing })), {
      name: 'NotFoundException',
      message: `Key 'arn:aws:kms:us-east-1:${server.accountId}:key/${missing}' does not exist`,
    });
  });
});
