import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListKeyPoliciesCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';

describe('key policies through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  const newKey = async (): Promise<{ id: string; arn: string }> => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    return { id: KeyMetadata?.KeyId ?? '', arn: KeyMetadata?.Arn ?? '' };
  };
  const policyFor = (accountId: string, sid: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: sid, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
      ],
    });

  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  test('a new key has the default policy, which delegates to the account', async () => {
    const key = await newKey();
    const { Policy, PolicyName } = await kms.send(new GetKeyPolicyCommand({ KeyId: key.id, PolicyName: 'default' }));
    assert.equal(PolicyName, 'default');
    const parsed = JSON.parse(Policy ?? '{}') as { Statement: Array<{ Principal: { AWS: string } }> };
    assert.equal(parsed.Statement[0]?.Principal.AWS, `arn:aws:iam::${server.accountId}:root`);
  });

  test('PutKeyPolicy replaces the policy, returned verbatim by GetKeyPolicy without a PolicyName', async () => {
    const key = await newKey();
    const policy = policyFor(server.accountId, 'Replaced');
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.arn, Policy: policy }));
    assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.id }))).Policy, policy);
  });

  test('a policy that is not a JSON object is MalformedPolicyDocumentException and changes nothing', async () => {
    const key = await newKey();
    const before = (await kms.send(new GetKeyPolicyCommand({ KeyId: key.id }))).Policy;
    await assert.rejects(kms.send(new PutKeyPolicyCommand({ KeyId: key.id, Policy: '{"Version": ' })), {
      name: 'MalformedPolicyDocumentException',
    });
    assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.id }))).Policy, before);
  });

  test('a policy larger than 32 KB is refused by validation', async () => {
    const key = await newKey();
    const huge = JSON.stringify({ Version: '2012-10-17', Id: 'x'.repeat(33_000), Statement: [] });
    await assert.rejects(kms.send(new PutKeyPolicyCommand({ KeyId: key.id, Policy: huge })), {
      name: 'ValidationException',
    });
  });

  test('a policy name other than default is NotFoundException', async () => {
    const key = await newKey();
    await assert.rejects(kms.send(new GetKeyPolicyCommand({ KeyId: key.id, PolicyName: 'other' })), {
      name: 'NotFoundException',
    });
    await assert.rejects(
      kms.send(new PutKeyPolicyCommand({ KeyId: key.id, PolicyName: 'other', Policy: policyFor(server.accountId, 'X') })),
      { name: 'NotFoundException' },
    );
  });

  test('ListKeyPolicies lists only default', async () => {
    const key = await newKey();
    const listed = await kms.send(new ListKeyPoliciesCommand({ KeyId: key.id }));
    assert.deepEqual(listed.PolicyNames, ['default']);
    assert.equal(listed.Truncated, false);
  });

  test('policies stay readable and writable while a key is pending deletion', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
    const policy = policyFor(server.accountId, 'WhilePending');
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.id, Policy: policy }));
    assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.id }))).Policy, policy);
  });

  test('policy operations refuse aliases', async () => {
    await assert.rejects(kms.send(new GetKeyPolicyCommand({ KeyId: 'alias/any' })), { name: 'NotFoundException' });
  });
});
