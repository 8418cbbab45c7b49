import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateKeyCommand,
  KMSClient,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';

describe('tags through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  const newKey = async (tags: { TagKey: string; TagValue: string }[] = []): Promise<{ id: string; arn: string }> => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Tags: tags }));
    return { id: KeyMetadata?.KeyId ?? '', arn: KeyMetadata?.Arn ?? '' };
  };
  const tagsOf = async (keyId: string) => (await kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags;

  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  test('TagResource adds tags and replaces the value of an existing tag key', async () => {
    const key = await newKey([{ TagKey: 'team', TagValue: 'payments' }]);
    await kms.send(
      new TagResourceCommand({
        KeyId: key.arn,
        Tags: [
          { TagKey: 'team', TagValue: 'billing' },
          { TagKey: 'env', TagValue: 'prod' },
        ],
      }),
    );
    const tags = await tagsOf(key.id);
    assert.deepEqual(
      [...(tags ?? [])].sort((a, b) => (a.TagKey ?? '').localeCompare(b.TagKey ?? '')),
      [
        { TagKey: 'env', TagValue: 'prod' },
        { TagKey: 'team', TagValue: 'billing' },
      ],
    );
  });

  test('UntagResource removes the named tags and ignores unknown ones', async () => {
    const key = await newKey([
      { TagKey: 'a', TagValue: '1' },
      { TagKey: 'b', TagValue: '2' },
    ]);
    await kms.send(new UntagResourceCommand({ KeyId: key.id, TagKeys: ['a', 'not-there'] }));
    assert.deepEqual(await tagsOf(key.id), [{ TagKey: 'b', TagValue: '2' }]);
  });

  test('tags beginning with aws: are TagException', async () => {
    const key = await newKey();
    await assert.rejects(
      kms.send(new TagResourceCommand({ KeyId: key.id, Tags: [{ TagKey: 'aws:owner', TagValue: 'x' }] })),
      { name: 'TagException' },
    );
  });

  test('tagging by alias is refused: tag operations take a key id or ARN', async () => {
    await assert.rejects(
      kms.send(new TagResourceCommand({ KeyId: 'alias/anything', Tags: [{ TagKey: 'k', TagValue: 'v' }] })),
      { name: 'NotFoundException' },
    );
  });

  test('a key pending deletion cannot be tagged, but its tags can be listed', async () => {
    const key = await newKey([{ TagKey: 'kept', TagValue: 'yes' }]);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
    await assert.rejects(
      kms.send(new TagResourceCommand({ KeyId: key.id, Tags: [{ TagKey: 'k', TagValue: 'v' }] })),
      { name: 'KMSInvalidStateException', message: `${key.arn} is pending deletion.` },
    );
    await assert.rejects(kms.send(new UntagResourceCommand({ KeyId: key.id, TagKeys: ['kept'] })), {
      name: 'KMSInvalidStateException',
    });
    assert.deepEqual(await tagsOf(key.id), [{ TagKey: 'kept', TagValue: 'yes' }]);
  });

  test('ListResourceTags pages with Limit and Marker', async () => {
    const tags = Array.from({ length: 5 }, (_, index) => ({ TagKey: `k${index}`, TagValue: `v${index}` }));
    const key = await newKey(tags);
    const first = await kms.send(new ListResourceTagsCommand({ KeyId: key.id, Limit: 2 }));
    assert.equal(first.Truncated, true);
    assert.equal(first.Tags?.length, 2);
    const second = await kms.send(new ListResourceTagsCommand({ KeyId: key.id, Limit: 2, Marker: first.NextMarker }));
    const third = await kms.send(new ListResourceTagsCommand({ KeyId: key.id, Limit: 2, Marker: second.NextMarker }));
    assert.equal(third.Truncated, false);
    assert.equal(third.NextMarker, undefined);
    assert.deepEqual([...(first.Tags ?? []), ...(second.Tags ?? []), ...(third.Tags ?? [])], tags);
  });

  test('ListResourceTags refuses a marker it did not issue', async () => {
    const key = await newKey([{ TagKey: 'k', TagValue: 'v' }]);
    await assert.rejects(kms.send(new ListResourceTagsCommand({ KeyId: key.id, Marker: 'not-a-marker' })), {
      name: 'InvalidMarkerException',
    });
  });
});
