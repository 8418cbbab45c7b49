import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  ListKeysCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startTestServer, type TestServer } from '../support/server.js';

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  assert.fail('expected the request to fail');
}

describe('symmetric keys through the real SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  test('CreateKey returns every KeyMetadata field AWS returns for a symmetric key', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'lifecycle' }));
    assert.ok(KeyMetadata);
    assert.match(KeyMetadata.KeyId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(KeyMetadata.Arn, `arn:aws:kms:us-east-1:${server.accountId}:key/${KeyMetadata.KeyId}`);
    assert.equal(KeyMetadata.AWSAccountId, server.accountId);
    assert.equal(KeyMetadata.KeyState, 'Enabled');
    assert.equal(KeyMetadata.Enabled, true);
    assert.equal(KeyMetadata.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(KeyMetadata.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(KeyMetadata.CustomerMasterKeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(KeyMetadata.Origin, 'AWS_KMS');
    assert.equal(KeyMetadata.KeyManager, 'CUSTOMER');
    assert.equal(KeyMetadata.MultiRegion, false);
    assert.deepEqual(KeyMetadata.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    assert.ok(KeyMetadata.CreationDate instanceof Date);
  });

  test('Encrypt and Decrypt round-trip with encryption context; a changed context is refused', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const context = { tenant: 'acme', purpose: 'test' };
    const encrypted = await kms.send(
      new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('hello'), EncryptionContext: context }),
    );
    assert.equal(encrypted.KeyId, KeyMetadata!.Arn);
    assert.equal(encrypted.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }),
    );
    assert.equal(Buffer.from(decrypted.Plaintext!).toString(), 'hello');
    assert.equal(decrypted.KeyId, KeyMetadata!.Arn);
    const wrong = await errorOf(
      kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { tenant: 'other' } })),
    );
    assert.equal(wrong.name, 'InvalidCiphertextException');
  });

  test('Decrypt with another key id is IncorrectKeyException; foreign blobs are InvalidCiphertextException', async () => {
    const first = await kms.send(new CreateKeyCommand({}));
    const second = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: first.KeyMetadata!.KeyId, Plaintext: Buffer.from('x') }),
    );
    const incorrect = await errorOf(
      kms.send(new DecryptCommand({ CiphertextBlob, KeyId: second.KeyMetadata!.KeyId })),
    );
    assert.equal(incorrect.name, 'IncorrectKeyException');
    // An AWS Encryption SDK message header (version 2, suite 0x0578) is not a KMS ciphertext.
    const esdkMessage = Buffer.concat([Buffer.from([0x02, 0x05, 0x78]), Buffer.alloc(200, 1)]);
    assert.equal((await errorOf(kms.send(new DecryptCommand({ CiphertextBlob: esdkMessage })))).name, 'InvalidCiphertextException');
    const tampered = Buffer.from(CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    assert.equal((await errorOf(kms.send(new DecryptCommand({ CiphertextBlob: tampered })))).name, 'InvalidCiphertextException');
  });

  test('a disabled key refuses cryptography with DisabledException and AWS message', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new DisableKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    const error = await errorOf(kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('x') })));
    assert.equal(error.name, 'DisabledException');
    assert.equal(error.message, `${KeyMetadata!.Arn} is disabled.`);
    await kms.send(new EnableKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('x') }));
  });

  test('unknown keys are NotFoundException naming the ARN; keys are regional', async () => {
    const missing = '11111111-2222-3333-4444-555555555555';
    const error = await errorOf(kms.send(new DescribeKeyCommand({ KeyId: missing })));
    assert.equal(error.name, 'NotFoundException');
    assert.equal(error.message, `Key 'arn:aws:kms:us-east-1:${server.accountId}:key/${missing}' does not exist`);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const elsewhere = server.kms('eu-west-1');
    assert.equal((await errorOf(elsewhere.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId })))).name, 'NotFoundException');
    const listed = await elsewhere.send(new ListKeysCommand({}));
    assert.equal(listed.Keys?.some((key) => key.KeyId === KeyMetadata!.KeyId), false);
  });

  test('validation errors use AWS wording and never echo plaintext', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const sentinel = 'SENTINEL-PLAINTEXT-'.repeat(250);
    const error = await errorOf(kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from(sentinel) })));
    assert.equal(error.name, 'ValidationException');
    assert.equal(
      error.message,
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
    const dataKey = await errorOf(kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata!.KeyId, NumberOfBytes: 2000 })));
    assert.equal(dataKey.name, 'ValidationException');
  });

  test('GetCallerIdentity names the administrator as the account root', async () => {
    const identity = await server.sts().send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, server.accountId);
    assert.equal(identity.Arn, `arn:aws:iam::${server.accountId}:root`);
  });

  test('a wrong secret is refused with UnrecognizedClientException or InvalidSignatureException', async () => {
    const forged = server.kms('us-east-1', { accessKeyId: server.credentials.accessKeyId, secretAccessKey: 'wrong' });
    assert.equal((await errorOf(forged.send(new ListKeysCommand({})))).name, 'InvalidSignatureException');
    const unknown = server.kms('us-east-1', { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'wrong' });
    assert.equal((await errorOf(unknown.send(new ListKeysCommand({})))).name, 'UnrecognizedClientException');
  });
});
