import assert from 'node:assert/strict';
import { createHmac, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  DeriveSharedSecretCommand,
  GenerateMacCommand,
  VerifyMacCommand,
  type KeySpec,
  type KMSClient,
  type MacAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createKeyOf, publicKeyOf } from './asymmetric-fixtures.js';

/**
 * DeriveSharedSecret equals the ECDH the peer computes locally against GetPublicKey's output; GenerateMac
 * and VerifyMac with every HMAC spec, KMSInvalidMacException on a mismatch, AWS's algorithm errors.
 */

describe('DeriveSharedSecret through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  for (const [spec, curve, bytes] of [['ECC_NIST_P256', 'prime256v1', 32], ['ECC_NIST_P384', 'secp384r1', 48], ['ECC_NIST_P521', 'secp521r1', 66]] as const) {
    test(`${spec}: the shared secret equals the peer's local ECDH with the KMS public key`, async () => {
      const key = await createKeyOf(kms, spec, 'KEY_AGREEMENT');
      const peer = generateKeyPairSync('ec', { namedCurve: curve });
      const response = await kms.send(new DeriveSharedSecretCommand({
        KeyId: key.id, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey.export({ format: 'der', type: 'spki' }),
      }));
      const local = diffieHellman({ privateKey: peer.privateKey, publicKey: (await publicKeyOf(kms, key.id)).keyObject() });
      assert.equal(response.SharedSecret?.length, bytes);
      assert.deepEqual(Buffer.from(response.SharedSecret ?? []), local);
      assert.equal(response.KeyId, key.arn);
      assert.equal(response.KeyAgreementAlgorithm, 'ECDH');
      assert.equal(response.KeyOrigin, 'AWS_KMS');
    });
  }

  test('a peer key on another curve, or not a public key, is ValidationException; a SIGN_VERIFY key is InvalidKeyUsageException', async () => {
    const key = await createKeyOf(kms, 'ECC_NIST_P256', 'KEY_AGREEMENT');
    const otherCurve = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'der', type: 'spki' });
    for (const publicKey of [otherCurve, Buffer.from('not a key')]) {
      await assert.rejects(kms.send(new DeriveSharedSecretCommand({ KeyId: key.id, KeyAgreementAlgorithm: 'ECDH', PublicKey: publicKey })), {
        name: 'ValidationException',
      });
    }
    const signing = await createKeyOf(kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' });
    await assert.rejects(kms.send(new DeriveSharedSecretCommand({ KeyId: signing.id, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer })), {
      name: 'InvalidKeyUsageException',
    });
  });
});

describe('GenerateMac and VerifyMac through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  const SPECS: ReadonlyArray<readonly [KeySpec, MacAlgorithmSpec, number]> = [
    ['HMAC_224', 'HMAC_SHA_224', 28], ['HMAC_256', 'HMAC_SHA_256', 32], ['HMAC_384', 'HMAC_SHA_384', 48], ['HMAC_512', 'HMAC_SHA_512', 64],
  ];
  for (const [spec, algorithm, length] of SPECS) {
    test(`${spec}: GenerateMac's tag verifies, is deterministic, and a changed message or tag is KMSInvalidMacException`, async () => {
      const key = await createKeyOf(kms, spec, 'GENERATE_VERIFY_MAC');
      const message = Buffer.from('a JWT signing input');
      const generated = await kms.send(new GenerateMacCommand({ KeyId: key.id, MacAlgorithm: algorithm, Message: message }));
      const mac = Buffer.from(generated.Mac ?? []);
      assert.equal(mac.length, length);
      assert.equal(generated.KeyId, key.arn);
      assert.equal(generated.MacAlgorithm, algorithm);
      const again = await kms.send(new GenerateMacCommand({ KeyId: key.arn, MacAlgorithm: algorithm, Message: message }));
      assert.deepEqual(Buffer.from(again.Mac ?? []), mac);
      const verified = await kms.send(new VerifyMacCommand({ KeyId: key.id, MacAlgorithm: algorithm, Message: message, Mac: mac }));
      assert.equal(verified.MacValid, true);
      await assert.rejects(
        kms.send(new VerifyMacCommand({ KeyId: key.id, MacAlgorithm: algorithm, Message: Buffer.from('another'), Mac: mac })),
        { name: 'KMSInvalidMacException' },
      );
      await assert.rejects(
        kms.send(new VerifyMacCommand({ KeyId: key.id, MacAlgorithm: algorithm, Message: message, Mac: mac.subarray(0, length - 1) })),
        { name: 'KMSInvalidMacException' },
      );
    });
  }

  test('a MAC is an HMAC under a secret no caller holds: it differs from the HMAC under an all-zero key', async () => {
    const key = await createKeyOf(kms, 'HMAC_256', 'GENERATE_VERIFY_MAC');
    const message = Buffer.from('m');
    const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: key.id, MacAlgorithm: 'HMAC_SHA_256', Message: message }));
    assert.notDeepEqual(Buffer.from(Mac ?? []), createHmac('sha256', Buffer.alloc(32)).update(message).digest());
  });

  test("another spec's algorithm is InvalidKeyUsageException; a non-HMAC key is InvalidKeyUsageException", async () => {
    const key = await createKeyOf(kms, 'HMAC_256', 'GENERATE_VERIFY_MAC');
    await assert.rejects(kms.send(new GenerateMacCommand({ KeyId: key.id, MacAlgorithm: 'HMAC_SHA_512', Message: Buffer.from('m') })), {
      name: 'InvalidKeyUsageException',
      message: 'Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256.',
    });
    const signing = await createKeyOf(kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    await assert.rejects(kms.send(new GenerateMacCommand({ KeyId: signing.id, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m') })), {
      name: 'InvalidKeyUsageException',
    });
  });
});
