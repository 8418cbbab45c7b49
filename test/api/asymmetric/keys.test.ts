import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GetPublicKeyCommand,
  type KeyUsageType,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { KEY_SPECS, type KeySpec } from '../../../src/keys/key-spec.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createKeyOf, publicKeyOf } from './asymmetric-fixtures.js';

/**
 * CreateKey, DescribeKey and GetPublicKey for every key spec and usage AWS offers (RSA_4096 once, to spare
 * the CPU), with exactly the algorithms AWS lists for each; SM2 and impossible pairings refused.
 */

const COMBINATIONS: ReadonlyArray<readonly [KeySpec, KeyUsageType]> = [
  ['RSA_2048', 'ENCRYPT_DECRYPT'], ['RSA_2048', 'SIGN_VERIFY'], ['RSA_3072', 'ENCRYPT_DECRYPT'], ['RSA_3072', 'SIGN_VERIFY'],
  ['RSA_4096', 'SIGN_VERIFY'],
  ['ECC_NIST_P256', 'SIGN_VERIFY'], ['ECC_NIST_P256', 'KEY_AGREEMENT'], ['ECC_NIST_P384', 'SIGN_VERIFY'],
  ['ECC_NIST_P384', 'KEY_AGREEMENT'], ['ECC_NIST_P521', 'SIGN_VERIFY'], ['ECC_NIST_P521', 'KEY_AGREEMENT'],
  ['ECC_SECG_P256K1', 'SIGN_VERIFY'], ['ECC_NIST_EDWARDS25519', 'SIGN_VERIFY'],
  ['ML_DSA_44', 'SIGN_VERIFY'], ['ML_DSA_65', 'SIGN_VERIFY'], ['ML_DSA_87', 'SIGN_VERIFY'],
  ['HMAC_224', 'GENERATE_VERIFY_MAC'], ['HMAC_256', 'GENERATE_VERIFY_MAC'], ['HMAC_384', 'GENERATE_VERIFY_MAC'],
  ['HMAC_512', 'GENERATE_VERIFY_MAC'],
];

/** What node:crypto reports for each spec's public key (ML-DSA has no OpenSSL 3.0 form: length only). */
const EXPECTED_KEY: Partial<Record<KeySpec, string>> = {
  RSA_2048: 'rsa/2048', RSA_3072: 'rsa/3072', RSA_4096: 'rsa/4096', ECC_NIST_P256: 'ec/prime256v1',
  ECC_NIST_P384: 'ec/secp384r1', ECC_NIST_P521: 'ec/secp521r1', ECC_SECG_P256K1: 'ec/secp256k1', ECC_NIST_EDWARDS25519: 'ed25519/',
};
const ML_DSA_SPKI_BYTES: Partial<Record<KeySpec, number>> = { ML_DSA_44: 1334, ML_DSA_65: 1974, ML_DSA_87: 2614 };

describe('asymmetric and HMAC keys through the AWS SDK', () => {
  let server: TestServer;
  let kms: KMSClient;
  before(async () => {
    server = await startTestServer();
    kms = server.kms();
  });
  after(() => server.stop());

  for (const [spec, usage] of COMBINATIONS) {
    test(`${spec} / ${usage}: creates, describes with AWS's algorithms, and serves its public key`, async () => {
      const key = await createKeyOf(kms, spec, usage);
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: key.id }));
      const caps = KEY_SPECS[spec];
      assert.equal(KeyMetadata?.KeySpec, spec);
      assert.equal(KeyMetadata?.CustomerMasterKeySpec, spec);
      assert.equal(KeyMetadata?.KeyUsage, usage);
      assert.equal(KeyMetadata?.KeyState, 'Enabled');
      assert.deepEqual(KeyMetadata?.SigningAlgorithms, usage === 'SIGN_VERIFY' ? caps.signingAlgorithms : undefined);
      assert.deepEqual(KeyMetadata?.EncryptionAlgorithms, usage === 'ENCRYPT_DECRYPT' ? caps.encryptionAlgorithms : undefined);
      assert.deepEqual(KeyMetadata?.KeyAgreementAlgorithms, usage === 'KEY_AGREEMENT' ? ['ECDH'] : undefined);
      assert.deepEqual(KeyMetadata?.MacAlgorithms, usage === 'GENERATE_VERIFY_MAC' ? caps.macAlgorithms : undefined);
      if (usage === 'GENERATE_VERIFY_MAC') {
        await assert.rejects(kms.send(new GetPublicKeyCommand({ KeyId: key.id })), { name: 'UnsupportedOperationException' });
        return;
      }
      const response = await kms.send(new GetPublicKeyCommand({ KeyId: key.id }));
      assert.equal(response.KeyId, key.arn);
      assert.equal(response.KeySpec, spec);
      assert.equal(response.CustomerMasterKeySpec, spec);
      assert.equal(response.KeyUsage, usage);
      assert.deepEqual(response.SigningAlgorithms, KeyMetadata?.SigningAlgorithms);
      assert.deepEqual(response.EncryptionAlgorithms, KeyMetadata?.EncryptionAlgorithms);
      assert.deepEqual(response.KeyAgreementAlgorithms, KeyMetadata?.KeyAgreementAlgorithms);
      const expected = EXPECTED_KEY[spec];
      if (expected === undefined) {
        assert.equal(response.PublicKey?.length, ML_DSA_SPKI_BYTES[spec]);
        return;
      }
      const publicKey = (await publicKeyOf(kms, key.id)).keyObject();
      const details = publicKey.asymmetricKeyDetails ?? {};
      assert.equal(`${publicKey.asymmetricKeyType}/${details.modulusLength ?? details.namedCurve ?? ''}`, expected);
    });
  }

  test('the public key survives a restart: it is stored, and the private key unwraps with the root key', async () => {
    const key = await createKeyOf(kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    const before = (await publicKeyOf(kms, key.id)).spki;
    server.node.deps.privateKeys.clear();
    assert.deepEqual((await publicKeyOf(kms, key.id)).spki, before);
  });

  test('SM2 is refused as in every AWS Region outside China', async () => {
    await assert.rejects(kms.send(new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' })), {
      name: 'UnsupportedOperationException',
      message: 'KeySpec SM2 is not supported in this region.',
    });
  });

  test('a usage the spec does not offer is refused', async () => {
    for (const [spec, usage] of [['ECC_SECG_P256K1', 'KEY_AGREEMENT'], ['ECC_NIST_EDWARDS25519', 'ENCRYPT_DECRYPT'],
      ['ML_DSA_44', 'KEY_AGREEMENT'], ['RSA_2048', 'GENERATE_VERIFY_MAC'], ['HMAC_256', 'SIGN_VERIFY']] as const) {
      await assert.rejects(kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage })), {
        name: 'ValidationException',
        message: `KeyUsage ${usage} is not compatible with KeySpec ${spec}`,
      });
    }
  });

  test('GetPublicKey of a symmetric key is UnsupportedOperationException', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await assert.rejects(kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata?.KeyId })), { name: 'UnsupportedOperationException' });
  });
});
