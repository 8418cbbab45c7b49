import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { startStrongroom, type RunningStrongroom } from '../../src/library.js';

const kmsOf = (strongroom: RunningStrongroom) =>
  new KMSClient({ endpoint: strongroom.endpoint, region: strongroom.region, credentials: strongroom.credentials });

/** Whether a new server can listen on `port` (true once Strongroom has let go of it). */
function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('startStrongroom (the library)', () => {
  test('serves KMS in this process on a free port, with test/test, until stop() frees the port', async () => {
    const strongroom = await startStrongroom();
    assert.match(strongroom.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(
      { region: strongroom.region, accountId: strongroom.accountId, credentials: strongroom.credentials },
      { region: 'us-east-1', accountId: '000000000000', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    );
    const kms = kmsOf(strongroom);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    assert.equal(KeyMetadata?.Arn?.startsWith('arn:aws:kms:us-east-1:000000000000:key/'), true);
    const plaintext = Buffer.from('in-process');
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: KeyMetadata!.KeyId!, Plaintext: plaintext, EncryptionContext: { suite: 'library' } }),
    );
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: CiphertextBlob!, EncryptionContext: { suite: 'library' } }));
    assert.deepEqual(Buffer.from(decrypted.Plaintext!), plaintext);
    const cloudTrail = new CloudTrailClient({ endpoint: strongroom.endpoint, region: strongroom.region, credentials: strongroom.credentials });
    const { Events } = await cloudTrail.send(new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Decrypt' }],
    }));
    assert.equal(Events?.length, 1, 'the audit trail is kept, in memory');
    const ready = await fetch(`${strongroom.endpoint}/readyz`);
    assert.deepEqual(await ready.json(), { status: 'ready', checks: { store: 'ok', rootKey: 'ok', auditLog: 'ok', auditChain: 'ok' } });
    kms.destroy();
    cloudTrail.destroy();

    const port = Number(new URL(strongroom.endpoint).port);
    assert.equal(await portIsFree(port), false);
    await strongroom.stop();
    assert.equal(await portIsFree(port), true);
    await strongroom.stop(); // a second stop is harmless
  });

  test('each server has its own state, and takes the options it is given', async () => {
    const first = await startStrongroom();
    const second = await startStrongroom({ region: 'eu-central-1', accountId: '123456789012' });
    try {
      assert.notEqual(first.endpoint, second.endpoint);
      assert.deepEqual([second.region, second.accountId], ['eu-central-1', '123456789012']);
      const [one, two] = [kmsOf(first), kmsOf(second)];
      const { KeyMetadata } = await two.send(new CreateKeyCommand({}));
      assert.equal(KeyMetadata?.Arn?.startsWith('arn:aws:kms:eu-central-1:123456789012:key/'), true);
      assert.deepEqual((await one.send(new ListKeysCommand({}))).Keys, []);
      assert.equal((await two.send(new ListKeysCommand({}))).Keys?.length, 1);
      one.destroy();
      two.destroy();
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  test('refuses a development account id that is not 12 digits, and a port that is taken', async () => {
    await assert.rejects(startStrongroom({ accountId: '42' }), /invalid development account id/);
    const running = await startStrongroom();
    try {
      await assert.rejects(startStrongroom({ port: Number(new URL(running.endpoint).port) }), /already in use/);
    } finally {
      await running.stop();
    }
  });
});
