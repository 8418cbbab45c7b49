import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, verify as nodeVerify, constants, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignCommand, VerifyCommand, type KMSClient, type SigningAlgorithmSpec } from '@aws-sdk/client-kms';
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import { KEY_SPECS, type KeySpec } from '../../../src/keys/key-spec.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createKeyOf, hashOf, publicKeyOf, type CreatedKey } from './asymmetric-fixtures.js';

/**
 * Sign and Verify through the AWS SDK: every signing algorithm of every spec signs, verifies through KMS and
 * verifies offline against GetPublicKey's output (node:crypto, openssl, noble for ML-DSA); DIGEST signing;
 * AWS's errors for invalid signatures, message types, digest lengths, algorithms and usages.
 */

const SPECS: readonly KeySpec[] = ['RSA_2048', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'ML_DSA_44'];

/** Offline verification of a RAW signature with node:crypto, as a JWT or release-signing library would. */
function verifiesOffline(algorithm: SigningAlgorithmSpec, publicKey: KeyObject, message: Buffer, signature: Buffer): boolean {
  if (algorithm === 'ED25519_SHA_512') return nodeVerify(null, message, publicKey, signature);
  const key = algorithm.startsWith('RSASSA_PSS')
    ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : algorithm.startsWith('ECDSA') ? { key: publicKey, dsaEncoding: 'der' as const } : publicKey;
  return nodeVerify(hashOf(algorithm), message, key, signature);
}

describe('Sign and Verify through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  const keys = new Map<KeySpec, CreatedKey>();
  let dir = '';
  const key = (spec: KeySpec): CreatedKey => {
    const found = keys.get(spec);
    assert.ok(found);
    return found;
  };
  const sign = async (spec: KeySpec, algorithm: SigningAlgorithmSpec, message: Buffer, type: 'RAW' | 'DIGEST' | 'EXTERNAL_MU' = 'RAW') =>
    Buffer.from((await kms.send(new SignCommand({ KeyId: key(spec).id, SigningAlgorithm: algorithm, Message: message, MessageType: type }))).Signature ?? []);

  before(async () => {
    server = await startTestServer();
    kms = server.kms();
    for (const spec of SPECS) keys.set(spec, await createKeyOf(kms, spec, 'SIGN_VERIFY'));
    dir = mkdtempSync(join(tmpdir(), 'strongroom-sign-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  });

  for (const spec of SPECS) {
    for (const algorithm of KEY_SPECS[spec].signingAlgorithms) {
      test(`${spec} ${algorithm}: signs, Verify says valid, and the public key verifies it offline`, async () => {
        const message = Buffer.from(`release artifact v1.2.3 for ${spec}`);
        const type = algorithm === 'ED25519_PH_SHA_512' ? 'DIGEST' : 'RAW';
        const input = type === 'DIGEST' ? createHash('sha512').update(message).digest() : message;
        const signature = await sign(spec, algorithm, input, type);
        const verified = await kms.send(new VerifyCommand({ KeyId: key(spec).arn, SigningAlgorithm: algorithm, Message: input, MessageType: type, Signature: signature }));
        assert.equal(verified.SignatureValid, true);
        assert.equal(verified.KeyId, key(spec).arn);
        assert.equal(verified.SigningAlgorithm, algorithm);
        const { spki, keyObject } = await publicKeyOf(kms, key(spec).id);
        if (spec === 'ML_DSA_44') {
          assert.equal(ml_dsa44.verify(signature, message, spki.subarray(spki.length - 1312)), true);
        } else if (algorithm !== 'ED25519_PH_SHA_512') {
          assert.equal(verifiesOffline(algorithm, keyObject(), message, signature), true);
          assert.equal(verifiesOffline(algorithm, keyObject(), Buffer.concat([message, Buffer.from('!')]), signature), false);
        }
      });
    }
  }

  test('ECDSA and PKCS#1 DIGEST signatures verify as RAW signatures of the message (and with openssl dgst)', async () => {
    for (const [spec, algorithm] of [['ECC_NIST_P384', 'ECDSA_SHA_384'], ['ECC_SECG_P256K1', 'ECDSA_SHA_256'], ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_512']] as const) {
      const message = Buffer.from('a large artifact, hashed locally');
      const digest = createHash(hashOf(algorithm)).update(message).digest();
      const signature = await sign(spec, algorithm, digest, 'DIGEST');
      const { spki, keyObject } = await publicKeyOf(kms, key(spec).id);
      assert.equal(verifiesOffline(algorithm, keyObject(), message, signature), true, spec);
      const pem = join(dir, `${spec}.pem`);
      writeFileSync(pem, keyObject().export({ format: 'pem', type: 'spki' }));
      writeFileSync(join(dir, 'sig'), signature);
      writeFileSync(join(dir, 'msg'), message);
      const result = spawnSync('/usr/bin/openssl', ['dgst', `-${hashOf(algorithm)}`, '-verify', pem, '-signature', join(dir, 'sig'), join(dir, 'msg')]);
      assert.equal(result.status, 0, `openssl dgst -verify ${spec}: ${result.stderr.toString()}`);
      assert.ok(spki.length > 0);
    }
  });

  test('a signature that does not verify is KMSInvalidSignatureException', async () => {
    const signature = await sign('ECC_NIST_P256', 'ECDSA_SHA_256', Buffer.from('signed'));
    await assert.rejects(
      kms.send(new VerifyCommand({ KeyId: key('ECC_NIST_P256').id, SigningAlgorithm: 'ECDSA_SHA_256', Message: Buffer.from('tampered'), Signature: signature })),
      { name: 'KMSInvalidSignatureException' },
    );
  });

  test("AWS's messages for message types and digest lengths", async () => {
    const cases = [
      ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', Buffer.alloc(64), 'DIGEST', 'Message type DIGEST is incompatible with algorithm ED25519_SHA_512.'],
      ['ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', Buffer.from('m'), 'RAW', 'Message type RAW is incompatible with algorithm ED25519_PH_SHA_512.'],
      ['ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', Buffer.alloc(32), 'DIGEST', 'Digest is invalid length for algorithm ED25519_PH_SHA_512.'],
      ['ML_DSA_44', 'ML_DSA_SHAKE_256', Buffer.alloc(64), 'DIGEST', 'Message type DIGEST is incompatible with key spec ML_DSA_44.'],
      ['ML_DSA_44', 'ML_DSA_SHAKE_256', Buffer.alloc(63), 'EXTERNAL_MU', 'External Mu is invalid length for algorithm ML_DSA_SHAKE_256.'],
      ['ECC_NIST_P256', 'ECDSA_SHA_256', Buffer.alloc(31), 'DIGEST', 'Digest is invalid length for algorithm ECDSA_SHA_256.'],
    ] as const;
    for (const [spec, algorithm, message, type, expected] of cases) {
      await assert.rejects(sign(spec, algorithm, message, type), { name: 'ValidationException', message: expected });
    }
  });

  test('an algorithm the spec does not offer is InvalidKeyUsageException', async () => {
    await assert.rejects(sign('ECC_NIST_EDWARDS25519', 'ECDSA_SHA_512', Buffer.from('m')), {
      name: 'InvalidKeyUsageException',
      message: 'Algorithm ECDSA_SHA_512 is incompatible with key spec ECC_NIST_EDWARDS25519.',
    });
    await assert.rejects(sign('ECC_NIST_P256', 'ECDSA_SHA_384', Buffer.from('m')), { name: 'InvalidKeyUsageException' });
  });

  test('a key of another usage is InvalidKeyUsageException; a message over 4096 bytes is ValidationException', async () => {
    const agreement = await createKeyOf(kms, 'ECC_NIST_P256', 'KEY_AGREEMENT');
    await assert.rejects(
      kms.send(new SignCommand({ KeyId: agreement.id, SigningAlgorithm: 'ECDSA_SHA_256', Message: Buffer.from('m') })),
      { name: 'InvalidKeyUsageException' },
    );
    await assert.rejects(sign('ECC_NIST_P256', 'ECDSA_SHA_256', Buffer.alloc(4097)), { name: 'ValidationException' });
    assert.equal((await sign('ECC_NIST_P256', 'ECDSA_SHA_256', Buffer.alloc(4096))).length > 0, true);
  });

  test('DryRun answers DryRunOperationException without signing', async () => {
    await assert.rejects(
      kms.send(new SignCommand({ KeyId: key('ECC_NIST_P256').id, SigningAlgorithm: 'ECDSA_SHA_256', Message: Buffer.from('m'), DryRun: true })),
      { name: 'DryRunOperationException' },
    );
  });
});
