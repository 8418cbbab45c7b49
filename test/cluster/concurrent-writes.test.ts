import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DescribeKeyCommand, ListAliasesCommand, ListGrantsCommand,
  ListResourceTagsCommand, TagResourceCommand, UpdateAliasCommand, UpdateKeyDescriptionCommand, type AliasListEntry,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { initDatabase, kmsClientOf, newClusterDir, startNode, type ClusterNode } from '../support/cluster.js';
import { createTestDatabase, startTestPostgres } from '../support/postgres.js';

/**
 * Two nodes writing to the same key, alias and grants at the same moment: every acknowledged write is there
 * afterwards, on both nodes, and no invariant breaks (one alias per name, each grant listed once).
 */
const postgres = await startTestPostgres({ maxConnections: 200 });
after(() => postgres.found?.stop());

async function allAliases(client: KMSClient): Promise<AliasListEntry[]> {
  const aliases: AliasListEntry[] = [];
  let Marker: string | undefined;
  do {
    const page = await client.send(new ListAliasesCommand({ Limit: 100, ...(Marker ? { Marker } : {}) }));
    aliases.push(...(page.Aliases ?? []));
    Marker = page.NextMarker;
  } while (Marker);
  return aliases;
}

async function allGrantIds(client: KMSClient, keyId: string): Promise<string[]> {
  const ids: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await client.send(new ListGrantsCommand({ KeyId: keyId, Limit: 100, ...(Marker ? { Marker } : {}) }));
    ids.push(...(page.Grants ?? []).map((grant) => grant.GrantId!));
    Marker = page.NextMarker;
  } while (Marker);
  return ids;
}

describe('concurrent writes on two nodes', { skip: postgres.skip }, () => {
  let nodes: ClusterNode[] = [];
  let clients: KMSClient[] = [];
  /** The client of node `i % 2`: requests alternate between the nodes. */
  const on = (i: number): KMSClient => clients[i % 2]!;

  before(async () => {
    const dir = await newClusterDir();
    const databaseUrl = await createTestDatabase(postgres.found!, 'concurrent');
    const rootKeyFile = join(dir, 'root.key');
    const { credentials } = await initDatabase(databaseUrl, rootKeyFile, join(dir, 'credentials'));
    // Quotas off: the bursts below exceed AWS's per-second quotas for these operations by design.
    const args = ['--quotas', 'off'];
    nodes = await Promise.all([
      startNode('A', { databaseUrl, rootKeyFile, workers: 2, args }),
      startNode('B', { databaseUrl, rootKeyFile, args }),
    ]);
    clients = nodes.map((node) => kmsClientOf(node, credentials));
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await Promise.all(nodes.map((node) => node.stop()));
  });

  test('grants, tags and descriptions written to one key at once: every write succeeds (no ConflictException, which SDKs do not retry) and is kept', async () => {
    const { KeyMetadata } = await on(0).send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const grantee = `arn:aws:iam::${KeyMetadata!.AWSAccountId!}:root`;
    const descriptions = Array.from({ length: 20 }, (_, i) => `description ${i}`);
    const grantIds: string[] = [];
    await Promise.all([
      ...Array.from({ length: 40 }, async (_, i) => {
        const { GrantId } = await on(i).send(new CreateGrantCommand({
          KeyId: keyId, GranteePrincipal: grantee, Operations: ['Encrypt'], Name: `grant-${i}`,
        }));
        grantIds.push(GrantId!);
      }),
      ...Array.from({ length: 40 }, (_, i) => on(i + 1).send(new TagResourceCommand({
        KeyId: keyId, Tags: [{ TagKey: `tag-${i}`, TagValue: `value-${i}` }],
      }))),
      ...descriptions.map((Description, i) => on(i).send(new UpdateKeyDescriptionCommand({
        KeyId: keyId, Description,
      }))),
    ]);

    for (const client of clients) {
      const listed = await allGrantIds(client, keyId);
      assert.deepEqual([...listed].sort(), [...grantIds].sort(), 'every acknowledged grant listed, each once');
      const { Tags } = await client.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: 50 }));
      const tags = new Map((Tags ?? []).map((tag) => [tag.TagKey, tag.TagValue]));
      assert.equal(tags.size, 40);
      for (let i = 0; i < 40; i++) assert.equal(tags.get(`tag-${i}`), `value-${i}`);
      const { KeyMetadata: described } = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
      assert.ok(descriptions.includes(described!.Description!), `one of the descriptions sent: ${described!.Description}`);
    }
  });

  test('UpdateAlias on both nodes at once: one alias, pointing at a key, the same on both nodes; then the last word wins', async () => {
    const keys = await Promise.all([0, 1].map(async (i) => (await on(i).send(new CreateKeyCommand({}))).KeyMetadata!));
    const [first, second] = keys as [typeof keys[0], typeof keys[0]];
    await on(0).send(new CreateAliasCommand({ AliasName: 'alias/storm', TargetKeyId: first.KeyId }));
    await Promise.all(Array.from({ length: 60 }, (_, i) => on(i).send(new UpdateAliasCommand({
      AliasName: 'alias/storm', TargetKeyId: keys[Math.floor(i / 2) % 2]!.KeyId,
    }))));

    const targets = await Promise.all(clients.map(async (client) => {
      const entries = (await allAliases(client)).filter((alias) => alias.AliasName === 'alias/storm');
      assert.equal(entries.length, 1, 'one alias of that name');
      return entries[0]!.TargetKeyId;
    }));
    assert.equal(targets[0], targets[1], 'both nodes agree');
    assert.ok([first.KeyId, second.KeyId].includes(targets[0]));

    for (const [writer, reader, target] of [[0, 1, second], [1, 0, first], [0, 1, first], [1, 0, second]] as const) {
      await on(writer).send(new UpdateAliasCommand({ AliasName: 'alias/storm', TargetKeyId: target.KeyId }));
      const { KeyMetadata } = await on(reader).send(new DescribeKeyCommand({ KeyId: 'alias/storm' }));
      assert.equal(KeyMetadata!.Arn, target.Arn, 'the other node names the alias\'s new key at once');
    }
  });

  test('CreateAlias of one name on both nodes at once: exactly one succeeds, the other is AlreadyExistsException', async () => {
    const keyId = (await on(0).send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    for (let round = 0; round < 10; round++) {
      const AliasName = `alias/race-${round}`;
      const outcomes = await Promise.all([0, 1].map(async (i) => {
        try {
          await on(i).send(new CreateAliasCommand({ AliasName, TargetKeyId: keyId }));
          return 'created';
        } catch (error) {
          return (error as Error).name;
        }
      }));
      assert.deepEqual([...outcomes].sort(), ['AlreadyExistsException', 'created'], `round ${round}`);
    }
    const names = (await allAliases(on(1))).map((alias) => alias.AliasName).filter((name) => name?.startsWith('alias/race-'));
    assert.equal(names.length, 10);
    assert.equal(new Set(names).size, 10);
  });
});
