import assert from 'node:assert/strict';
import { constants, publicEncrypt } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DecryptCommand, EncryptCommand, ReEncryptCommand, CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createKeyOf, publicKeyOf, type CreatedKey } from './asymmetric-fixtures.js';

/**
 * Encrypt, Decrypt and ReEncrypt with RSA ENCRYPT_DECRYPT keys: raw RSA-OAEP, so ciphertext made offline
 * with GetPublicKey's key decrypts; AWS's plaintext limits; no encryption context; AWS's algorithm errors.
 */

describe('RSA encryption through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  let rsa2048: CreatedKey;
  let rsa3072: CreatedKey;
  before(async () => {
    server = await startTestServer();
    kms = server.kms();
    rsa2048 = await createKeyOf(kms, 'RSA_2048', 'ENCRYPT_DECRYPT');
    rsa3072 = await createKeyOf(kms, 'RSA_3072', 'ENCRYPT_DECRYPT');
  });
  after(() => server.stop());

  for (const [algorithm, hash] of [['RSAES_OAEP_SHA_1', 'sha1'], ['RSAES_OAEP_SHA_256', 'sha256']] as const) {
    test(`${algorithm}: data encrypted offline with the public key decrypts through Decrypt`, async () => {
      const plaintext = Buffer.from('a data key sealed offline');
      const publicKey = (await publicKeyOf(kms, rsa2048.id)).keyObject();
      const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, plaintext);
      const decrypted = await kms.send(new DecryptCommand({ KeyId: rsa2048.id, CiphertextBlob: ciphertext, EncryptionAlgorithm: algorithm }));
      assert.deepEqual(Buffer.from(decrypted.Plaintext ?? []), plaintext);
      assert.equal(decrypted.KeyId, rsa2048.arn);
      assert.equal(decrypted.EncryptionAlgorithm, algorithm);
    });

    test(`${algorithm}: Encrypt returns raw RSA-OAEP (256 bytes for RSA_2048) that Decrypt opens`, async () => {
      const plaintext = Buffer.from('secret payload');
      const encrypted = await kms.send(new EncryptCommand({ KeyId: rsa2048.id, Plaintext: plaintext, EncryptionAlgorithm: algorithm }));
      assert.equal(encrypted.CiphertextBlob?.length, 256);
      assert.equal(encrypted.EncryptionAlgorithm, algorithm);
      const decrypted = await kms.send(new DecryptCommand({ KeyId: rsa2048.arn, CiphertextBlob: encrypted.CiphertextBlob, EncryptionAlgorithm: algorithm }));
      assert.deepEqual(Buffer.from(decrypted.Plaintext ?? []), plaintext);
    });
  }

  test("AWS's plaintext limits: RSA_2048 214/190 bytes, RSA_3072 342/318 bytes (SHA-1/SHA-256)", async () => {
    for (const [key, algorithm, limit] of [[rsa2048, 'RSAES_OAEP_SHA_1', 214], [rsa2048, 'RSAES_OAEP_SHA_256', 190],
      [rsa3072, 'RSAES_OAEP_SHA_1', 342], [rsa3072, 'RSAES_OAEP_SHA_256', 318]] as const) {
      await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.alloc(limit, 1), EncryptionAlgorithm: algorithm }));
      await assert.rejects(
        kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.alloc(limit + 1, 1), EncryptionAlgorithm: algorithm })),
        { name: 'ValidationException' },
      );
    }
  });

  test("the default SYMMETRIC_DEFAULT is AWS's InvalidKeyUsageException on Encrypt and InvalidCiphertextException on Decrypt", async () => {
    await assert.rejects(kms.send(new EncryptCommand({ KeyId: rsa2048.id, Plaintext: Buffer.from('x') })), {
      name: 'InvalidKeyUsageException',
      message: 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    });
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: rsa2048.id, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    await assert.rejects(kms.send(new DecryptCommand({ KeyId: rsa2048.id, CiphertextBlob })), { name: 'InvalidCiphertextException' });
    await assert.rejects(
      kms.send(new DecryptCommand({ KeyId: rsa2048.id, CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })),
      { name: 'InvalidCiphertextException' },
    );
  });

  test('an encryption context is refused with an asymmetric key', async () => {
    await assert.rejects(
      kms.send(new EncryptCommand({ KeyId: rsa2048.id, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } })),
      { name: 'ValidationException' },
    );
  });

  test('ReEncrypt moves a ciphertext from a symmetric key to an RSA key and back', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const symmetric = KeyMetadata?.KeyId ?? '';
    const plaintext = Buffer.from('re-wrapped without leaving the server');
    const original = await kms.send(new EncryptCommand({ KeyId: symmetric, Plaintext: plaintext, EncryptionContext: { app: 'x' } }));
    const toRsa = await kms.send(new ReEncryptCommand({
      CiphertextBlob: original.CiphertextBlob, SourceEncryptionContext: { app: 'x' },
      DestinationKeyId: rsa3072.id, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
    }));
    assert.equal(toRsa.CiphertextBlob?.length, 384);
    assert.equal(toRsa.SourceEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.equal(toRsa.DestinationEncryptionAlgorithm, 'RSAES_OAEP_SHA_256');
    const back = await kms.send(new ReEncryptCommand({
      CiphertextBlob: toRsa.CiphertextBlob, SourceKeyId: rsa3072.id, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationKeyId: symmetric,
    }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: back.CiphertextBlob }));
    assert.deepEqual(Buffer.from(decrypted.Plaintext ?? []), plaintext);
  });
});
