import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';

describe('aliases through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  const newKey = async (): Promise<{ id: string; arn: string }> => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    return { id: KeyMetadata?.KeyId ?? '', arn: KeyMetadata?.Arn ?? '' };
  };
  const aliasArnOf = (name: string) => `arn:aws:kms:us-east-1:${server.accountId}:${name}`;

  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  test('CreateAlias names a key that DescribeKey and ListAliases then find', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: key.id }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/orders' }));
    assert.equal(described.KeyMetadata?.KeyId, key.id);
    const listed = await kms.send(new ListAliasesCommand({ KeyId: key.id }));
    assert.equal(listed.Aliases?.length, 1);
    const [alias] = listed.Aliases ?? [];
    assert.equal(alias?.AliasName, 'alias/orders');
    assert.equal(alias?.AliasArn, aliasArnOf('alias/orders'));
    assert.equal(alias?.TargetKeyId, key.id);
    assert.ok(alias?.CreationDate instanceof Date);
    assert.ok(alias?.LastUpdatedDate instanceof Date);
    assert.equal(listed.Truncated, false);
  });

  test('CreateAlias accepts the key ARN as target', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/by-arn', TargetKeyId: key.arn }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: aliasArnOf('alias/by-arn') }));
    assert.equal(described.KeyMetadata?.Arn, key.arn);
  });

  test('a taken alias name is AlreadyExistsException naming the alias ARN', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/taken', TargetKeyId: key.id }));
    await assert.rejects(kms.send(new CreateAliasCommand({ AliasName: 'alias/taken', TargetKeyId: key.id })), {
      name: 'AlreadyExistsException',
      message: `An alias with the name ${aliasArnOf('alias/taken')} already exists`,
    });
  });

  test('a name without the alias/ prefix is refused with AWS message', async () => {
    const key = await newKey();
    await assert.rejects(kms.send(new CreateAliasCommand({ AliasName: 'orders', TargetKeyId: key.id })), {
      name: 'ValidationException',
      message:
        'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    });
  });

  test('the alias/aws/ prefix is reserved', async () => {
    const key = await newKey();
    await assert.rejects(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: key.id })), {
      name: 'InvalidAliasNameException',
    });
  });

  test('a colon in the name is refused although the pattern allows it', async () => {
    const key = await newKey();
    await assert.rejects(kms.send(new CreateAliasCommand({ AliasName: 'alias/a:b', TargetKeyId: key.id })), {
      name: 'ValidationException',
      message: 'alias/a:b contains invalid characters for an alias',
    });
  });

  test('an alias cannot target another alias', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/first', TargetKeyId: key.id }));
    await assert.rejects(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/second', TargetKeyId: 'alias/first' })),
      { name: 'NotFoundException' },
    );
  });

  test('a key pending deletion cannot be given an alias', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
    await assert.rejects(kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: key.id })), {
      name: 'KMSInvalidStateException',
      message: `${key.arn} is pending deletion.`,
    });
  });

  test('UpdateAlias moves the alias to another key and keeps its creation date', async () => {
    const [first, second] = [await newKey(), await newKey()];
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: first.id }));
    const before = (await kms.send(new ListAliasesCommand({ KeyId: first.id }))).Aliases?.[0];
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: second.arn }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/moving' }));
    assert.equal(described.KeyMetadata?.KeyId, second.id);
    const after = (await kms.send(new ListAliasesCommand({ KeyId: second.id }))).Aliases?.[0];
    assert.deepEqual(after?.CreationDate, before?.CreationDate);
    assert.deepEqual((await kms.send(new ListAliasesCommand({ KeyId: first.id }))).Aliases, []);
  });

  test('UpdateAlias of an alias that does not exist is NotFoundException', async () => {
    const key = await newKey();
    await assert.rejects(kms.send(new UpdateAliasCommand({ AliasName: 'alias/nobody', TargetKeyId: key.id })), {
      name: 'NotFoundException',
    });
  });

  test('DeleteAlias removes the alias and leaves the key', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/short-lived', TargetKeyId: key.id }));
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/short-lived' }));
    await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: 'alias/short-lived' })), {
      name: 'NotFoundException',
    });
    const described = await kms.send(new DescribeKeyCommand({ KeyId: key.id }));
    assert.equal(described.KeyMetadata?.KeyState, 'Enabled');
  });

  test('DeleteAlias of an alias that does not exist is NotFoundException', async () => {
    await assert.rejects(kms.send(new DeleteAliasCommand({ AliasName: 'alias/never-was' })), {
      name: 'NotFoundException',
    });
  });

  test('DeleteAlias works for a key pending deletion', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/of-doomed', TargetKeyId: key.id }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/of-doomed' }));
    assert.deepEqual((await kms.send(new ListAliasesCommand({ KeyId: key.id }))).Aliases, []);
  });

  test('ListAliases with a key that does not exist is NotFoundException', async () => {
    await assert.rejects(
      kms.send(new ListAliasesCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })),
      { name: 'NotFoundException' },
    );
  });

  test('aliases are regional: another region does not see them', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/regional', TargetKeyId: key.id }));
    const elsewhere = server.kms('eu-west-1');
    const listed = await elsewhere.send(new ListAliasesCommand({}));
    assert.equal(listed.Aliases?.some((alias) => alias.AliasName === 'alias/regional'), false);
  });
});
