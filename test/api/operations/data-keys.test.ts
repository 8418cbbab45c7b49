import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';

const EITHER_MESSAGE = 'Please specify either number of bytes or key spec.';

describe('data keys and random bytes through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  const newKey = async (): Promise<{ id: string; arn: string }> => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    return { id: KeyMetadata?.KeyId ?? '', arn: KeyMetadata?.Arn ?? '' };
  };

  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  test('GenerateDataKey returns a plaintext key that Decrypt recovers from its ciphertext', async () => {
    const key = await newKey();
    const context = { purpose: 'test' };
    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: key.id, KeySpec: 'AES_256', EncryptionContext: context }));
    assert.equal(dataKey.Plaintext?.length, 32);
    assert.equal(dataKey.KeyId, key.arn);
    assert.match(dataKey.KeyMaterialId ?? '', /^[0-9a-f]{64}$/);
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context }),
    );
    assert.deepEqual(Buffer.from(decrypted.Plaintext ?? []), Buffer.from(dataKey.Plaintext ?? []));
  });

  test('AES_128 gives 16 bytes; NumberOfBytes gives exactly that many', async () => {
    const key = await newKey();
    const aes128 = await kms.send(new GenerateDataKeyCommand({ KeyId: key.id, KeySpec: 'AES_128' }));
    assert.equal(aes128.Plaintext?.length, 16);
    const sized = await kms.send(new GenerateDataKeyCommand({ KeyId: key.id, NumberOfBytes: 1024 }));
    assert.equal(sized.Plaintext?.length, 1024);
  });

  test('neither or both of KeySpec and NumberOfBytes is ValidationException', async () => {
    const key = await newKey();
    await assert.rejects(kms.send(new GenerateDataKeyCommand({ KeyId: key.id })), {
      name: 'ValidationException',
      message: EITHER_MESSAGE,
    });
    await assert.rejects(
      kms.send(new GenerateDataKeyCommand({ KeyId: key.id, KeySpec: 'AES_256', NumberOfBytes: 32 })),
      { name: 'ValidationException', message: EITHER_MESSAGE },
    );
  });

  test('the KeySpec/NumberOfBytes check comes before the key state check', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.id }));
    await assert.rejects(kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.id })), {
      name: 'ValidationException',
      message: EITHER_MESSAGE,
    });
    await assert.rejects(kms.send(new GenerateDataKeyCommand({ KeyId: key.id, KeySpec: 'AES_256' })), {
      name: 'DisabledException',
      message: `${key.arn} is disabled.`,
    });
  });

  test('NumberOfBytes outside 1..1024 is ValidationException', async () => {
    const key = await newKey();
    await assert.rejects(kms.send(new GenerateDataKeyCommand({ KeyId: key.id, NumberOfBytes: 1025 })), {
      name: 'ValidationException',
    });
  });

  test('GenerateDataKeyWithoutPlaintext returns no plaintext, and the ciphertext decrypts', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/data-keys', TargetKeyId: key.id }));
    const dataKey = await kms.send(
      new GenerateDataKeyWithoutPlaintextCommand({ KeyId: 'alias/data-keys', NumberOfBytes: 48 }),
    );
    assert.equal((dataKey as { Plaintext?: unknown }).Plaintext, undefined);
    assert.equal(dataKey.KeyId, key.arn);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
    assert.equal(decrypted.Plaintext?.length, 48);
  });

  test('GenerateRandom returns the requested number of bytes, different each time', async () => {
    const first = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }));
    const second = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }));
    assert.equal(first.Plaintext?.length, 64);
    assert.notDeepEqual(Buffer.from(first.Plaintext ?? []), Buffer.from(second.Plaintext ?? []));
  });

  test('GenerateRandom requires NumberOfBytes within 1..1024', async () => {
    await assert.rejects(kms.send(new GenerateRandomCommand({})), { name: 'ValidationException' });
    await assert.rejects(kms.send(new GenerateRandomCommand({ NumberOfBytes: 1025 })), {
      name: 'ValidationException',
    });
  });

  test('GenerateRandom naming a custom key store that does not exist is CustomKeyStoreNotFoundException', async () => {
    // With a store, the bytes come from its HSM: test/api/operations/custom-key-stores.test.ts.
    await assert.rejects(
      kms.send(new GenerateRandomCommand({ NumberOfBytes: 16, CustomKeyStoreId: 'cks-1234567890abcdef0' })),
      { name: 'CustomKeyStoreNotFoundException' },
    );
  });

  test('no data key appears in the server log', async () => {
    const key = await newKey();
    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: key.id, NumberOfBytes: 32 }));
    const secret = Buffer.from(dataKey.Plaintext ?? []);
    const logs = server.logs.join('\n');
    assert.equal(logs.includes(secret.toString('base64')), false);
    assert.equal(logs.includes(secret.toString('hex')), false);
  });
});
