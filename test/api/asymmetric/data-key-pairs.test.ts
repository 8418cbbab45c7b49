import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  type DataKeyPairSpec,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createKeyOf } from './asymmetric-fixtures.js';

/**
 * GenerateDataKeyPair(WithoutPlaintext) for every pair spec: the private key (PKCS#8 DER) signs what the
 * public key (SPKI DER) verifies, and its ciphertext decrypts under the symmetric key with the context.
 */

const PAIR_SPECS: readonly DataKeyPairSpec[] = ['RSA_2048', 'RSA_3072', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519'];
const CONTEXT = { purpose: 'data key pair test' };

describe('data key pairs through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  let keyId = '';
  before(async () => {
    server = await startTestServer();
    kms = server.kms();
    keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
  });
  after(() => server.stop());

  for (const spec of PAIR_SPECS) {
    test(`${spec}: the private key signs what the public key verifies; its ciphertext decrypts to it`, async () => {
      const pair = await kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: spec, EncryptionContext: CONTEXT }));
      assert.equal(pair.KeyPairSpec, spec);
      assert.match(pair.KeyId ?? '', /^arn:aws:kms:/);
      const privateKey = createPrivateKey({ key: Buffer.from(pair.PrivateKeyPlaintext ?? []), format: 'der', type: 'pkcs8' });
      const publicKey = createPublicKey({ key: Buffer.from(pair.PublicKey ?? []), format: 'der', type: 'spki' });
      const hash = spec === 'ECC_NIST_EDWARDS25519' ? null : 'sha256';
      const signature = sign(hash, Buffer.from('signed offline'), privateKey);
      assert.equal(verify(hash, Buffer.from('signed offline'), publicKey, signature), true);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob, EncryptionContext: CONTEXT }));
      assert.deepEqual(Buffer.from(decrypted.Plaintext ?? []), Buffer.from(pair.PrivateKeyPlaintext ?? []));
    });
  }

  test('WithoutPlaintext returns no private key; its ciphertext decrypts to a key matching the public key', async () => {
    const pair = await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256', EncryptionContext: CONTEXT }));
    assert.equal('PrivateKeyPlaintext' in pair, false);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob, EncryptionContext: CONTEXT }));
    const derived = createPublicKey(createPrivateKey({ key: Buffer.from(decrypted.Plaintext ?? []), format: 'der', type: 'pkcs8' }));
    assert.deepEqual(derived.export({ format: 'der', type: 'spki' }), Buffer.from(pair.PublicKey ?? []));
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob })), { name: 'InvalidCiphertextException' });
  });

  test('DryRun, SM2, and a key that is not a symmetric encryption key are refused', async () => {
    await assert.rejects(
      kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256', DryRun: true })),
      { name: 'DryRunOperationException' },
    );
    await assert.rejects(
      kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256', DryRun: true })),
      { name: 'DryRunOperationException' },
    );
    await assert.rejects(kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: 'SM2' })), { name: 'UnsupportedOperationException' });
    const rsa = await createKeyOf(kms, 'RSA_2048', 'ENCRYPT_DECRYPT');
    await assert.rejects(kms.send(new GenerateDataKeyPairCommand({ KeyId: rsa.id, KeyPairSpec: 'ECC_NIST_P256' })), { name: 'InvalidKeyUsageException' });
    const signing = await createKeyOf(kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    await assert.rejects(kms.send(new GenerateDataKeyPairCommand({ KeyId: signing.id, KeyPairSpec: 'ECC_NIST_P256' })), { name: 'InvalidKeyUsageException' });
  });
});
