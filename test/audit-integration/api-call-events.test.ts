import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as kmsCommands from '@aws-sdk/client-kms';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateKeyCommand, DecryptCommand, DeleteAliasCommand,
  DescribeKeyCommand, DisableKeyCommand, DisableKeyRotationCommand, EnableKeyCommand, EnableKeyRotationCommand,
  EncryptCommand, GenerateDataKeyCommand, GenerateDataKeyWithoutPlaintextCommand, GenerateRandomCommand,
  GetKeyLastUsageCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand,
  ListKeyPoliciesCommand, ListKeyRotationsCommand, ListKeysCommand, ListResourceTagsCommand, PutKeyPolicyCommand,
  ReEncryptCommand, RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand, TagResourceCommand, UntagResourceCommand,
  UpdateAliasCommand, UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import type { CloudTrailEvent } from '../../src/audit/index.js';
import { KMS_OPERATIONS } from '../../src/api/operations/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createIamUser, createRoleSession, eventsOfRequest, readTrail, settle } from './trail-reader.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the audit trail records every request, through the real SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  let keyArn: string;
  let otherKeyArn: string;
  /** Operation name → the request ids sent for it, and whether each succeeded. */
  const sent = new Map<string, { requestId: string | undefined; ok: boolean }[]>();

  async function call(operation: string, send: Promise<unknown>): Promise<unknown> {
    const outcome = await settle(send);
    sent.set(operation, [...(sent.get(operation) ?? []), { requestId: outcome.requestId, ok: outcome.ok }]);
    return outcome.value;
  }

  function onlyEventOf(requestId: string | undefined): CloudTrailEvent {
    const events = eventsOfRequest(server.dataDir, requestId);
    assert.equal(events.length, 1, `exactly one record for request ${requestId}`);
    return events[0]!;
  }

  before(async () => {
    server = await startTestServer({ audit: true });
    kms = server.kms();
    const created = (await call('CreateKey', kms.send(new CreateKeyCommand({ Description: 'audited' })))) as kmsCommands.CreateKeyResponse;
    keyArn = created.KeyMetadata!.Arn!;
    const other = (await call('CreateKey', kms.send(new CreateKeyCommand({})))) as kmsCommands.CreateKeyResponse;
    otherKeyArn = other.KeyMetadata!.Arn!;
    const plaintext = Buffer.from('hello audit');
    const encrypted = (await call('Encrypt', kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext, EncryptionContext: { purpose: 'audit' } })))) as kmsCommands.EncryptResponse;
    await call('Decrypt', kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { purpose: 'audit' } })));
    await call('ReEncrypt', kms.send(new ReEncryptCommand({
      CiphertextBlob: encrypted.CiphertextBlob, SourceEncryptionContext: { purpose: 'audit' }, DestinationKeyId: otherKeyArn,
    })));
    await call('GenerateDataKey', kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' })));
    await call('GenerateDataKeyWithoutPlaintext', kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyArn, KeySpec: 'AES_128' })));
    await call('GenerateRandom', kms.send(new GenerateRandomCommand({ NumberOfBytes: 16 })));
    await call('DescribeKey', kms.send(new DescribeKeyCommand({ KeyId: keyArn })));
    await call('ListKeys', kms.send(new ListKeysCommand({})));
    await call('CreateAlias', kms.send(new CreateAliasCommand({ AliasName: 'alias/audited', TargetKeyId: keyArn })));
    await call('UpdateAlias', kms.send(new UpdateAliasCommand({ AliasName: 'alias/audited', TargetKeyId: otherKeyArn })));
    await call('ListAliases', kms.send(new ListAliasesCommand({})));
    await call('DeleteAlias', kms.send(new DeleteAliasCommand({ AliasName: 'alias/audited' })));
    await call('TagResource', kms.send(new TagResourceCommand({ KeyId: keyArn, Tags: [{ TagKey: 'team', TagValue: 'audit' }] })));
    await call('ListResourceTags', kms.send(new ListResourceTagsCommand({ KeyId: keyArn })));
    await call('UntagResource', kms.send(new UntagResourceCommand({ KeyId: keyArn, TagKeys: ['team'] })));
    const policy = (await call('GetKeyPolicy', kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' })))) as kmsCommands.GetKeyPolicyResponse;
    await call('PutKeyPolicy', kms.send(new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy: policy.Policy })));
    await call('ListKeyPolicies', kms.send(new ListKeyPoliciesCommand({ KeyId: keyArn })));
    await call('EnableKeyRotation', kms.send(new EnableKeyRotationCommand({ KeyId: keyArn })));
    await call('GetKeyRotationStatus', kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn })));
    await call('DisableKeyRotation', kms.send(new DisableKeyRotationCommand({ KeyId: keyArn })));
    await call('RotateKeyOnDemand', kms.send(new RotateKeyOnDemandCommand({ KeyId: keyArn })));
    await call('ListKeyRotations', kms.send(new ListKeyRotationsCommand({ KeyId: keyArn })));
    await call('UpdateKeyDescription', kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyArn, Description: 'renamed' })));
    await call('GetKeyLastUsage', kms.send(new GetKeyLastUsageCommand({ KeyId: keyArn })));
    await call('DisableKey', kms.send(new DisableKeyCommand({ KeyId: otherKeyArn })));
    await call('EnableKey', kms.send(new EnableKeyCommand({ KeyId: otherKeyArn })));
    await call('ScheduleKeyDeletion', kms.send(new ScheduleKeyDeletionCommand({ KeyId: otherKeyArn, PendingWindowInDays: 7 })));
    await call('CancelKeyDeletion', kms.send(new CancelKeyDeletionCommand({ KeyId: otherKeyArn })));
    // Operations other engineers add later are still sent once, naming the key, whatever they answer.
    for (const name of KMS_OPERATIONS.keys()) {
      if (sent.has(name)) continue;
      const Command = (kmsCommands as unknown as Record<string, new (input: object) => kmsCommands.DescribeKeyCommand>)[`${name}Command`];
      assert.ok(Command, `the SDK has a command for ${name}`);
      await call(name, kms.send(new Command({ KeyId: keyArn })));
    }
  });
  after(() => server.stop());

  test('every implemented operation was sent, and each request has exactly one record naming it', () => {
    for (const name of KMS_OPERATIONS.keys()) assert.ok(sent.has(name), `${name} was exercised`);
    for (const [operation, requests] of sent) {
      for (const { requestId, ok } of requests) {
        const event = onlyEventOf(requestId);
        assert.equal(event.eventName, operation);
        assert.equal(event.errorCode === undefined, ok, `${operation}: errorCode present exactly when the request failed`);
      }
    }
    const total = [...sent.values()].reduce((sum, requests) => sum + requests.length, 0);
    assert.equal(readTrail(server.dataDir).length, total, 'no record without a request, none twice');
  });

  test('each record has CloudTrail\'s fields for a root caller', () => {
    for (const [operation, requests] of sent) {
      const event = onlyEventOf(requests[0]?.requestId);
      assert.equal(event.eventVersion, '1.11');
      assert.deepEqual(event.userIdentity, {
        type: 'Root', principalId: server.accountId, arn: `arn:aws:iam::${server.accountId}:root`,
        accountId: server.accountId, accessKeyId: server.credentials.accessKeyId,
      });
      assert.match(event.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(event.eventSource, 'kms.amazonaws.com');
      assert.equal(event.awsRegion, 'us-east-1');
      assert.equal(event.sourceIPAddress, '127.0.0.1');
      assert.match(event.userAgent, /aws-sdk-js/);
      assert.match(event.eventID, UUID);
      assert.equal(event.eventType, 'AwsApiCall');
      assert.equal(event.managementEvent, true);
      assert.equal(event.eventCategory, 'Management');
      assert.equal(event.recipientAccountId, server.accountId);
      assert.equal(event.readOnly, KMS_OPERATIONS.get(operation)?.readOnly, operation);
      assert.equal(event.tlsDetails, undefined, 'plain HTTP has no tlsDetails');
    }
  });

  test('key operations name the key in resources; ReEncrypt names source then destination', () => {
    const encrypt = onlyEventOf(sent.get('Encrypt')?.[0]?.requestId);
    assert.deepEqual(encrypt.resources, [{ accountId: server.accountId, type: 'AWS::KMS::Key', ARN: keyArn }]);
    assert.deepEqual(encrypt.requestParameters, { keyId: keyArn, encryptionContext: { purpose: 'audit' } });
    assert.equal(encrypt.responseElements, null);
    const reEncrypt = onlyEventOf(sent.get('ReEncrypt')?.[0]?.requestId);
    assert.deepEqual(reEncrypt.resources?.map((resource) => resource.ARN), [keyArn, otherKeyArn]);
    const disable = onlyEventOf(sent.get('DisableKey')?.[0]?.requestId);
    assert.deepEqual(disable.responseElements, { keyId: otherKeyArn });
    const random = onlyEventOf(sent.get('GenerateRandom')?.[0]?.requestId);
    assert.equal(random.resources, undefined);
  });

  test('a failed request records its error code and message', async () => {
    const missing = `arn:aws:kms:us-east-1:${server.accountId}:key/00000000-0000-0000-0000-000000000000`;
    const outcome = await settle(kms.send(new DescribeKeyCommand({ KeyId: missing })));
    assert.equal(outcome.ok, false);
    const event = onlyEventOf(outcome.requestId);
    assert.equal(event.errorCode, 'NotFoundException');
    assert.equal(event.errorMessage, (outcome.value as Error).message);
    assert.equal(event.responseElements, null);
  });

  test('a denied request is recorded with AccessDeniedException', async () => {
    const foreign = 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000';
    const outcome = await settle(kms.send(new EncryptCommand({ KeyId: foreign, Plaintext: Buffer.from('x') })));
    const event = onlyEventOf(outcome.requestId);
    assert.equal(event.errorCode, 'AccessDeniedException');
    assert.equal(event.recipientAccountId, server.accountId);
  });

  test('an unauthenticated request is recorded, with no principal', async () => {
    const forged = server.kms('us-east-1', { accessKeyId: server.credentials.accessKeyId, secretAccessKey: 'not-the-secret' });
    const outcome = await settle(forged.send(new ListKeysCommand({})));
    assert.equal(outcome.ok, false);
    const event = onlyEventOf(outcome.requestId);
    assert.equal(event.eventName, 'ListKeys');
    assert.equal(event.errorCode, 'InvalidSignatureException');
    assert.deepEqual(event.userIdentity, { type: 'Unknown' });
  });

  test('an IAM user is recorded as IAMUser with its user name', async () => {
    const alice = await createIamUser(server, 'alice');
    const outcome = await settle(server.kms('us-east-1', alice).send(new ListKeysCommand({})));
    const event = onlyEventOf(outcome.requestId);
    assert.deepEqual(event.userIdentity, {
      type: 'IAMUser', principalId: `AIDA${'ALICE'.padEnd(17, 'X')}`, arn: `arn:aws:iam::${server.accountId}:user/alice`,
      accountId: server.accountId, accessKeyId: alice.accessKeyId, userName: 'alice',
    });
  });

  test('an assumed role is recorded with its session context', async () => {
    const issued = Date.UTC(2025, 4, 20, 20, 46, 16, 500);
    const session = await createRoleSession(server, 'Auditor', 'nightly', issued);
    const outcome = await settle(server.kms('us-east-1', session).send(new ListKeysCommand({})));
    assert.equal(outcome.ok, true);
    const event = onlyEventOf(outcome.requestId);
    assert.deepEqual(event.userIdentity, {
      type: 'AssumedRole', principalId: 'AROAEXAMPLEROLE00001:nightly',
      arn: `arn:aws:sts::${server.accountId}:assumed-role/Auditor/nightly`, accountId: server.accountId,
      accessKeyId: session.accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role', principalId: 'AROAEXAMPLEROLE00001', arn: `arn:aws:iam::${server.accountId}:role/Auditor`,
          accountId: server.accountId, userName: 'Auditor',
        },
        attributes: { creationDate: '2025-05-20T20:46:16Z', mfaAuthenticated: 'false' },
      },
    });
  });

  test('GetKeyLastUsage reports the last successful cryptographic operation from the trail', async () => {
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('usage') }));
    await settle(kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a ciphertext') })));
    const usage = await kms.send(new GetKeyLastUsageCommand({ KeyId: keyArn }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
    assert.equal(usage.KeyId, described.KeyMetadata?.KeyId);
    assert.equal(usage.KeyLastUsage?.Operation, 'Encrypt');
    assert.equal(usage.KeyLastUsage?.KmsRequestId, encrypted.$metadata.requestId);
    const event = onlyEventOf(encrypted.$metadata.requestId);
    assert.equal(usage.KeyLastUsage?.CloudTrailEventId, event.eventID);
    assert.equal(usage.KeyLastUsage?.Timestamp?.toISOString().replace('.000Z', 'Z'), event.eventTime);
    assert.equal(usage.KeyCreationDate?.getTime(), described.KeyMetadata?.CreationDate?.getTime());
    assert.ok((usage.TrackingStartDate?.getTime() ?? 0) >= Math.floor((usage.KeyCreationDate?.getTime() ?? 0) / 1000) * 1000);
  });

  test('GetKeyLastUsage of an unused key has no KeyLastUsage, and refuses aliases', async () => {
    const fresh = await kms.send(new CreateKeyCommand({}));
    const usage = await kms.send(new GetKeyLastUsageCommand({ KeyId: fresh.KeyMetadata?.KeyId }));
    assert.equal(usage.KeyLastUsage, undefined);
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/unused', TargetKeyId: fresh.KeyMetadata?.KeyId }));
    const byAlias = await settle(kms.send(new GetKeyLastUsageCommand({ KeyId: 'alias/unused' })));
    assert.equal((byAlias.value as Error).name, 'NotFoundException');
  });
  test('a ReplicateKey is recorded as AWS records it: ReplicateKey in the primary\'s region, CreateKey of the replica in the replica\'s', async () => {
    const primary = await kms.send(new CreateKeyCommand({ MultiRegion: true, Description: 'the primary' }));
    const replicated = await kms.send(new kmsCommands.ReplicateKeyCommand({
      KeyId: primary.KeyMetadata?.KeyId, ReplicaRegion: 'eu-west-1', Description: 'the replica', Tags: [{ TagKey: 'team', TagValue: 'audit' }],
    }));
    const replicaArn = replicated.ReplicaKeyMetadata?.Arn;
    const events = eventsOfRequest(server.dataDir, replicated.$metadata.requestId);
    assert.deepEqual(events.map((event) => [event.eventName, event.awsRegion]), [['ReplicateKey', 'us-east-1'], ['CreateKey', 'eu-west-1']]);
    const [replicate, create] = events as [CloudTrailEvent, CloudTrailEvent];
    assert.deepEqual(replicate.resources?.map((resource) => resource.ARN), [primary.KeyMetadata?.Arn]);
    assert.deepEqual(create.resources?.map((resource) => resource.ARN), [replicaArn]);
    assert.deepEqual(create.userIdentity, replicate.userIdentity);
    assert.notEqual(create.eventID, replicate.eventID);
    assert.equal(create.readOnly, false);
    assert.equal(create.requestParameters?.['description'], 'the replica');
    assert.equal(create.requestParameters?.['multiRegion'], true);
    assert.equal((create.responseElements?.['keyMetadata'] as { arn?: string } | undefined)?.arn, replicaArn);
  });
});
