import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { administratorCredentials, BUNDLED_CLI, startServerProcess } from '../support/server-process.js';

// What users run is the bundle (npm start, bin/strongroom.js). Its audit indexing thread is a second entry
// point that the bundle finds beside itself: LookupEvents only answers once that thread has indexed the journal.
test('the bundle (dist/strongroom.js) serves with two workers, and its indexing thread answers LookupEvents', async () => {
  assert.ok(existsSync(BUNDLED_CLI), `${BUNDLED_CLI} is missing: run npm run build (npm test does)`);
  const server = await startServerProcess(['--workers', '2'], undefined, { bundled: true });
  try {
    assert.ok(server.endpoint, server.stderr());
    const options = { endpoint: server.endpoint, region: 'us-east-1', credentials: administratorCredentials(server.dataDir) };
    const kms = new KMSClient(options);
    const cloudTrail = new CloudTrailClient(options);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const plaintext = Buffer.from('bundled');
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId!, Plaintext: plaintext }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: CiphertextBlob! }));
    assert.deepEqual(Buffer.from(decrypted.Plaintext!), plaintext);
    const { Events } = await cloudTrail.send(new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: KeyMetadata!.Arn! }],
    }));
    assert.deepEqual(Events?.map((event) => event.EventName).sort(), ['CreateKey', 'Decrypt', 'Encrypt']);
    kms.destroy();
    cloudTrail.destroy();
  } finally {
    assert.equal(await server.stop(), 0, server.stderr());
  }
});
