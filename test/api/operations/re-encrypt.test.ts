import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  KMSClient,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
} from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';

describe('ReEncrypt through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  const newKey = async (): Promise<{ id: string; arn: string }> => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    return { id: KeyMetadata?.KeyId ?? '', arn: KeyMetadata?.Arn ?? '' };
  };
  const encrypt = async (keyId: string, text: string, context?: Record<string, string>) =>
    (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(text), EncryptionContext: context })))
      .CiphertextBlob;

  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  test('moves a ciphertext to another key and another encryption context', async () => {
    const [source, destination] = [await newKey(), await newKey()];
    const blob = await encrypt(source.id, 'secret payload', { stage: 'one' });
    const moved = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob: blob,
        SourceEncryptionContext: { stage: 'one' },
        DestinationKeyId: destination.arn,
        DestinationEncryptionContext: { stage: 'two' },
      }),
    );
    assert.equal(moved.SourceKeyId, source.arn);
    assert.equal(moved.KeyId, destination.arn);
    assert.equal(moved.SourceEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.equal(moved.DestinationEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.match(moved.SourceKeyMaterialId ?? '', /^[0-9a-f]{64}$/);
    assert.match(moved.DestinationKeyMaterialId ?? '', /^[0-9a-f]{64}$/);
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { stage: 'two' } }),
    );
    assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'secret payload');
    assert.equal(decrypted.KeyId, destination.arn);
  });

  test('re-encrypting under the same key after rotation moves to the current material', async () => {
    const key = await newKey();
    const blob = await encrypt(key.id, 'rotate me');
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id }));
    const moved = await kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: key.id }));
    assert.notEqual(moved.SourceKeyMaterialId, moved.DestinationKeyMaterialId);
  });

  test('a SourceKeyId naming another key is IncorrectKeyException', async () => {
    const [source, other] = [await newKey(), await newKey()];
    const blob = await encrypt(source.id, 'x');
    await assert.rejects(
      kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceKeyId: other.id, DestinationKeyId: other.id })),
      { name: 'IncorrectKeyException' },
    );
  });

  test('a wrong source encryption context is InvalidCiphertextException', async () => {
    const key = await newKey();
    const blob = await encrypt(key.id, 'x', { a: '1' });
    await assert.rejects(
      kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: { a: '2' }, DestinationKeyId: key.id })),
      { name: 'InvalidCiphertextException' },
    );
  });

  test('a disabled destination key is DisabledException', async () => {
    const [source, destination] = [await newKey(), await newKey()];
    const blob = await encrypt(source.id, 'x');
    await kms.send(new DisableKeyCommand({ KeyId: destination.id }));
    await assert.rejects(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: destination.id })), {
      name: 'DisabledException',
      message: `${destination.arn} is disabled.`,
    });
  });

  test('garbage instead of a ciphertext is InvalidCiphertextException', async () => {
    const key = await newKey();
    await assert.rejects(
      kms.send(new ReEncryptCommand({ CiphertextBlob: Buffer.from('not a ciphertext blob'), DestinationKeyId: key.id })),
      { name: 'InvalidCiphertextException' },
    );
  });
});
