import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListKeysCommand,
  RotateKeyOnDemandCommand,
} from '@aws-sdk/client-kms';
import { startTestServer } from '../support/server.js';
import { withFaults, type StoreWriteMethod } from '../store/faulty-store.js';

describe('a failed write is never acknowledged, and leaves nothing half done', () => {
  test('CreateKey and RotateKeyOnDemand whose commit fails answer KMSInternalException and change nothing', async () => {
    let failing: StoreWriteMethod | undefined;
    const server = await startTestServer({
      wrapStore: (store) => withFaults(store, { failOn: (method) => method === failing }),
    });
    try {
      const kms = server.kms();
      failing = 'keys.create';
      await assert.rejects(kms.send(new CreateKeyCommand({})), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'KMSInternalException');
        assert.equal(error.$metadata?.httpStatusCode, 500);
        assert.doesNotMatch(error.message, /injected|sqlite|stack/i);
        return true;
      });
      failing = undefined;
      assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys, []);

      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const before = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      const ciphertext = (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }))).CiphertextBlob;
      failing = 'keys.write'; // rotation writes the key and every related key (multi-Region) in one transaction
      await assert.rejects(kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), { name: 'KMSInternalException' });
      failing = undefined;
      const after = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      assert.equal(after.KeyMetadata?.CurrentKeyMaterialId, before.KeyMetadata?.CurrentKeyMaterialId);
      await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }));
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
      assert.ok(server.logs.some((line) => line.includes('request-failed')), 'the failure is in the log');
    } finally {
      await server.stop();
    }
  });
});
