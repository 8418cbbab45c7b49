import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { issueAccessKey } from '../../src/auth/access-keys.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createIamUser, settle, type TestPrincipal } from './trail-reader.js';

describe('CloudTrail LookupEvents over the trail, through the real CloudTrail SDK', () => {
  let server: TestServer;
  let cloudTrail: CloudTrailClient;
  let keyArn: string;
  let alice: TestPrincipal;
  let encryptRequestId: string | undefined;

  const lookup = (input: LookupEventsCommandInput, client = cloudTrail) => client.send(new LookupEventsCommand(input));

  before(async () => {
    server = await startTestServer({ audit: true });
    cloudTrail = new CloudTrailClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: server.credentials, maxAttempts: 1 });
    const kms = server.kms();
    keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    encryptRequestId = (await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }))).$metadata.requestId;
    await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
    alice = await createIamUser(server, 'alice');
    await server.kms('us-east-1', alice).send(new ListKeysCommand({}));
    await server.kms('us-east-1', alice).send(new DescribeKeyCommand({ KeyId: keyArn }));
  });
  after(() => {
    cloudTrail.destroy();
    return server.stop();
  });

  test('filters by key (ResourceName), newest first, in CloudTrail\'s Event shape', async () => {
    const { Events } = await lookup({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: keyArn }] });
    assert.deepEqual(Events?.map((event) => event.EventName), ['DescribeKey', 'DescribeKey', 'Encrypt', 'CreateKey']);
    const encrypt = Events?.find((event) => event.EventName === 'Encrypt');
    assert.equal(encrypt?.EventSource, 'kms.amazonaws.com');
    assert.equal(encrypt?.ReadOnly, 'true');
    assert.equal(encrypt?.Username, 'root');
    assert.equal(encrypt?.AccessKeyId, server.credentials.accessKeyId);
    assert.ok(encrypt?.EventTime instanceof Date);
    assert.deepEqual(encrypt?.Resources, [{ ResourceType: 'AWS::KMS::Key', ResourceName: keyArn }]);
    assert.equal(JSON.parse(encrypt?.CloudTrailEvent ?? '{}').requestID, encryptRequestId);
  });

  test('filters by user and by event name', async () => {
    const byUser = await lookup({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }] });
    assert.deepEqual(byUser.Events?.map((event) => event.EventName), ['DescribeKey', 'ListKeys']);
    const byName = await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeKey' }] });
    assert.deepEqual(byName.Events?.map((event) => event.Username), ['alice', 'root']);
  });

  test('pages with MaxResults and NextToken, and honours the time range', async () => {
    const first = await lookup({ MaxResults: 2 });
    assert.equal(first.Events?.length, 2);
    assert.ok(first.NextToken);
    const rest = await lookup({ MaxResults: 50, NextToken: first.NextToken! });
    const ids = [...(first.Events ?? []), ...(rest.Events ?? [])].map((event) => event.EventId);
    assert.equal(new Set(ids).size, ids.length, 'no event twice across pages');
    const future = await lookup({ StartTime: new Date(Date.now() + 3_600_000) });
    assert.deepEqual(future.Events, []);
    const past = await lookup({ EndTime: new Date(Date.now() - 3_600_000) });
    assert.deepEqual(past.Events, []);
  });

  test('answers CloudTrail\'s errors as JSON', async () => {
    const two = await settle(lookup({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }, { AttributeKey: 'Username', AttributeValue: 'root' }],
    }));
    assert.equal((two.value as Error).name, 'InvalidLookupAttributesException');
    const range = await settle(lookup({ StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) }));
    assert.equal((range.value as Error).name, 'InvalidTimeRangeException');
    const max = await settle(lookup({ MaxResults: 51 }));
    assert.equal((max.value as Error).name, 'InvalidMaxResultsException');
    const token = await settle(lookup({ NextToken: 'bm90LWEtdG9rZW4' }));
    assert.equal((token.value as Error).name, 'InvalidNextTokenException');
  });

  test('a caller sees only its own account\'s events, and a forged signature is refused', async () => {
    const otherAccount = '222233334444';
    await server.node.store.identities.createAccount({ id: otherAccount, createdAt: Date.now() });
    const { accessKeyId, secret } = await issueAccessKey(server.node.store.identities, server.node.rootKey, {
      accountId: otherAccount, principalArn: `arn:aws:iam::${otherAccount}:root`, principalType: 'Root', principalId: otherAccount,
    }, Date.now());
    const neighbour = new CloudTrailClient({
      endpoint: server.endpoint, region: 'us-east-1', maxAttempts: 1,
      credentials: { accessKeyId, secretAccessKey: secret.expose().toString('utf8') },
    });
    const forger = new CloudTrailClient({
      endpoint: server.endpoint, region: 'us-east-1', maxAttempts: 1,
      credentials: { accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    try {
      assert.deepEqual((await lookup({}, neighbour)).Events, []);
      const forged = await settle(lookup({}, forger));
      assert.equal((forged.value as Error).name, 'InvalidSignatureException');
    } finally {
      neighbour.destroy();
      forger.destroy();
    }
    const own = await lookup({ MaxResults: 50 });
    assert.ok((own.Events ?? []).length > 0);
    for (const event of own.Events ?? []) {
      assert.equal(JSON.parse(event.CloudTrailEvent ?? '{}').recipientAccountId, server.accountId);
    }
  });
});
