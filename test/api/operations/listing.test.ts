import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';

describe('listing and paging through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  const created: string[] = [];

  before(async () => {
    server = await startTestServer();
    kms = server.kms();
    for (let index = 0; index < 5; index++) {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      created.push(KeyMetadata?.KeyId ?? '');
    }
  });
  after(() => server.stop());

  test('ListKeys lists every key with its id and ARN', async () => {
    const listed = await kms.send(new ListKeysCommand({}));
    assert.equal(listed.Truncated, false);
    assert.equal(listed.NextMarker, undefined);
    const ids = (listed.Keys ?? []).map((key) => key.KeyId);
    for (const id of created) assert.ok(ids.includes(id));
    for (const key of listed.Keys ?? []) {
      assert.equal(key.KeyArn, `arn:aws:kms:us-east-1:${server.accountId}:key/${key.KeyId}`);
    }
  });

  test('ListKeys pages with Limit and Marker, each key once', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await kms.send(new ListKeysCommand({ Limit: 2, ...(marker ? { Marker: marker } : {}) }));
      pages++;
      assert.ok((page.Keys?.length ?? 0) <= 2);
      seen.push(...(page.Keys ?? []).map((key) => key.KeyId ?? ''));
      assert.equal(page.Truncated, page.NextMarker !== undefined);
      marker = page.NextMarker;
    } while (marker);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(pages >= 3);
    for (const id of created) assert.ok(seen.includes(id));
  });

  test("the SDK's paginator walks every page", async () => {
    const ids: string[] = [];
    for await (const page of paginateListKeys({ client: kms, pageSize: 2 }, {})) {
      ids.push(...(page.Keys ?? []).map((key) => key.KeyId ?? ''));
    }
    for (const id of created) assert.ok(ids.includes(id));
  });

  test('a marker the server did not issue is InvalidMarkerException', async () => {
    await assert.rejects(kms.send(new ListKeysCommand({ Marker: 'bm90LWEtbWFya2Vy' })), {
      name: 'InvalidMarkerException',
    });
  });

  test('a marker of another listing is InvalidMarkerException', async () => {
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/page-a', TargetKeyId: created[0] ?? '' }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/page-b', TargetKeyId: created[0] ?? '' }));
    const aliases = await kms.send(new ListAliasesCommand({ Limit: 1 }));
    assert.ok(aliases.NextMarker);
    await assert.rejects(kms.send(new ListKeysCommand({ Marker: aliases.NextMarker })), {
      name: 'InvalidMarkerException',
    });
  });

  test('Limit outside 1..1000 is ValidationException', async () => {
    await assert.rejects(kms.send(new ListKeysCommand({ Limit: 0 })), { name: 'ValidationException' });
    await assert.rejects(kms.send(new ListKeysCommand({ Limit: 1001 })), { name: 'ValidationException' });
  });

  test('ListAliases pages by name', async () => {
    for (const name of ['alias/z-1', 'alias/z-2', 'alias/z-3']) {
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: created[1] ?? '' }));
    }
    const first = await kms.send(new ListAliasesCommand({ KeyId: created[1], Limit: 2 }));
    assert.deepEqual(first.Aliases?.map((alias) => alias.AliasName), ['alias/z-1', 'alias/z-2']);
    assert.equal(first.Truncated, true);
    const second = await kms.send(new ListAliasesCommand({ KeyId: created[1], Limit: 2, Marker: first.NextMarker }));
    assert.deepEqual(second.Aliases?.map((alias) => alias.AliasName), ['alias/z-3']);
    assert.equal(second.Truncated, false);
  });

  test('keys of another region are not listed', async () => {
    const elsewhere = await server.kms('eu-west-1').send(new ListKeysCommand({}));
    const ids = (elsewhere.Keys ?? []).map((key) => key.KeyId);
    for (const id of created) assert.equal(ids.includes(id), false);
  });
});
