import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CancelKeyDeletionCommand,
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DescribeKeyCommand,
  DisconnectCustomKeyStoreCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateRandomCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  UpdateCustomKeyStoreCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { parseCiphertextBlob } from '../../../src/crypto/ciphertext-blob.js';
import { encodeEncryptionContext } from '../../../src/crypto/encryption-context.js';
import { openPkcs11Token } from '../../../src/hsm/pkcs11-token.js';
import { readTrail } from '../../audit-integration/trail-reader.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createSoftHsmTokens, softHsm, type SoftHsmToken } from '../../support/softhsm.js';
import { failureOf, registerCluster, trustAnchorPem } from './custom-key-store-fixtures.js';

/**
 * Custom key stores of type AWS_CLOUDHSM (issue 14, ADR 0022) through the AWS SDK against a real server whose HSM
 * "clusters" are SoftHSM2 tokens. Known answers, not only round trips: a ciphertext made through the API is opened
 * in the token directly, with the AAD the documented blob format (docs/ciphertext-format.md) gives.
 */
describe('custom key stores (AWS_CLOUDHSM on PKCS#11 tokens)', { skip: softHsm.skip }, () => {
  let server: TestServer;
  let kms: KMSClient;
  let tokens: SoftHsmToken[];
  let token: SoftHsmToken;
  let trustAnchor: string;
  let storeId: string;

  before(async () => {
    tokens = createSoftHsmTokens(['cks-main', 'cks-other']);
    token = tokens[0]!;
    // SoftHSM reads its configuration once per process, at the first C_Initialize: the server here is in-process.
    process.env['SOFTHSM2_CONF'] = token.confPath;
    trustAnchor = trustAnchorPem();
    server = await startTestServer({ audit: true });
    kms = server.kms();
    await registerCluster(server, 'cluster-234567abcdefg', token);
    await registerCluster(server, 'cluster-otherclusterz', tokens[1]!);
    await registerCluster(server, 'cluster-sametokenzzzz', token);
  });
  after(async () => {
    await server?.stop();
    tokens?.[0]?.remove();
  });

  const create = (name: string, clusterId: string, password: string, certificate = trustAnchor) =>
    kms.send(new CreateCustomKeyStoreCommand({
      CustomKeyStoreName: name,
      CloudHsmClusterId: clusterId,
      TrustAnchorCertificate: certificate,
      KeyStorePassword: password,
    }));
  const describeStore = async (id: string) => {
    const { CustomKeyStores } = await kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: id }));
    return CustomKeyStores![0]!;
  };

  test('CreateCustomKeyStore checks the cluster, the trust anchor and the name, and stores the store DISCONNECTED', async () => {
    assert.equal((await failureOf(create('s', 'cluster-notregistered', token.pin))).name, 'CloudHsmClusterNotFoundException');
    assert.equal((await failureOf(create('s', 'cluster-234567abcdefg', token.pin, 'not a certificate'))).name, 'IncorrectTrustAnchorException');
    assert.equal(
      (await failureOf(kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: 's', CloudHsmClusterId: 'cluster-234567abcdefg' })))).name,
      'ValidationException',
    );
    assert.equal(
      (await failureOf(kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: 'x', CustomKeyStoreType: 'EXTERNAL_KEY_STORE', KeyStorePassword: 'password' })))).name,
      'ValidationException',
    );

    const { CustomKeyStoreId } = await create('main-store', 'cluster-234567abcdefg', 'wrong-pin-1');
    assert.match(CustomKeyStoreId!, /^cks-[0-9a-f]{17}$/);
    storeId = CustomKeyStoreId!;
    const entry = await describeStore(storeId);
    assert.equal(entry.CustomKeyStoreName, 'main-store');
    assert.equal(entry.CustomKeyStoreType, 'AWS_CLOUDHSM');
    assert.equal(entry.CloudHsmClusterId, 'cluster-234567abcdefg');
    assert.equal(entry.TrustAnchorCertificate, trustAnchor);
    assert.equal(entry.ConnectionState, 'DISCONNECTED');
    assert.equal(entry.ConnectionErrorCode, undefined);
    assert.ok(entry.CreationDate instanceof Date);
    assert.ok(!JSON.stringify(entry).includes('wrong-pin-1'), 'the password is never returned');

    assert.equal((await failureOf(create('main-store', 'cluster-otherclusterz', token.pin))).name, 'CustomKeyStoreNameInUseException');
    assert.equal((await failureOf(create('second', 'cluster-234567abcdefg', token.pin))).name, 'CloudHsmClusterInUseException');
    const byName = await kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreName: 'main-store' }));
    assert.equal(byName.CustomKeyStores?.[0]?.CustomKeyStoreId, storeId);
    assert.equal((await failureOf(kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: 'cks-00000000000000000' })))).name, 'CustomKeyStoreNotFoundException');
  });

  test('no key is made in a store that is not connected; a wrong password fails the connection with INVALID_CREDENTIALS', async () => {
    const inStore = { CustomKeyStoreId: storeId, Origin: 'AWS_CLOUDHSM' as const };
    assert.equal((await failureOf(kms.send(new CreateKeyCommand(inStore)))).name, 'CustomKeyStoreInvalidStateException');

    assert.deepEqual(Object.keys(await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }))).filter((k) => k !== '$metadata'), []);
    const failed = await describeStore(storeId);
    assert.equal(failed.ConnectionState, 'FAILED');
    assert.equal(failed.ConnectionErrorCode, 'INVALID_CREDENTIALS');
    assert.equal((await failureOf(kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId })))).name, 'CustomKeyStoreInvalidStateException');
    assert.equal(
      (await failureOf(kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: storeId, KeyStorePassword: token.pin })))).name,
      'CustomKeyStoreInvalidStateException',
      'the password changes only while disconnected',
    );

    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    assert.equal((await describeStore(storeId)).ConnectionState, 'DISCONNECTED');
    assert.equal((await failureOf(kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId })))).name, 'CustomKeyStoreInvalidStateException');
    assert.equal(
      (await failureOf(kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: storeId, CloudHsmClusterId: 'cluster-otherclusterz' })))).name,
      'CloudHsmClusterNotRelatedException',
    );
    await kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: storeId, KeyStorePassword: token.pin, CloudHsmClusterId: 'cluster-sametokenzzzz' }));
    await kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: storeId, CloudHsmClusterId: 'cluster-234567abcdefg' }));
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    const connected = await describeStore(storeId);
    assert.equal(connected.ConnectionState, 'CONNECTED');
    assert.equal(connected.ConnectionErrorCode, undefined);
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId })); // connecting a connected store is no error
    await kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: storeId, NewCustomKeyStoreName: 'main-store-renamed' }));
    assert.equal((await describeStore(storeId)).CustomKeyStoreName, 'main-store-renamed');
  });

  test('CreateKey in a connected store makes a symmetric key whose AES-GCM runs in the token', async () => {
    const inStore = { CustomKeyStoreId: storeId, Origin: 'AWS_CLOUDHSM' as const };
    assert.equal((await failureOf(kms.send(new CreateKeyCommand({ ...inStore, KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })))).name, 'UnsupportedOperationException');
    assert.equal((await failureOf(kms.send(new CreateKeyCommand({ ...inStore, MultiRegion: true })))).name, 'UnsupportedOperationException');
    assert.equal((await failureOf(kms.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM' })))).name, 'ValidationException');
    assert.equal((await failureOf(kms.send(new CreateKeyCommand({ CustomKeyStoreId: storeId })))).name, 'ValidationException');
    assert.equal((await failureOf(kms.send(new CreateKeyCommand({ ...inStore, CustomKeyStoreId: 'cks-00000000000000000' })))).name, 'CustomKeyStoreNotFoundException');

    const { KeyMetadata: created } = await kms.send(new CreateKeyCommand({ ...inStore, Description: 'in the HSM' }));
    assert.equal(created?.Origin, 'AWS_CLOUDHSM');
    assert.equal(created?.CustomKeyStoreId, storeId);
    assert.equal(created?.CloudHsmClusterId, 'cluster-234567abcdefg');
    assert.equal(created?.KeyState, 'Enabled');
    assert.equal(created?.CurrentKeyMaterialId, undefined);
    const keyId = created!.KeyId!;

    const plaintext = randomBytes(100);
    const context = { purpose: 'custom key store test' };
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
    assert.deepEqual(Buffer.from(decrypted.Plaintext!), plaintext);
    assert.equal(decrypted.KeyId, created?.Arn);
    assert.equal((await failureOf(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { purpose: 'other' } })))).name, 'InvalidCiphertextException');

    // The blob opens in the token itself, under the key object named by the key id, with header ‖ context as AAD.
    const blob = parseCiphertextBlob(Buffer.from(CiphertextBlob!));
    const session = await openPkcs11Token({ modulePath: token.modulePath, tokenLabel: token.tokenLabel, pin: token.pin });
    try {
      const object = session.findAesKey(keyId);
      assert.ok(object, 'the key is an object in the token, labelled with the key id');
      assert.equal(object.id.toString('hex'), blob.materialId);
      const aad = Buffer.concat([blob.header, encodeEncryptionContext(context)]);
      assert.deepEqual(session.decryptAesGcm(object, blob.iv, aad, Buffer.concat([blob.ciphertext, blob.tag])), plaintext);
    } finally {
      session.close();
    }

    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    const again = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
    assert.deepEqual(Buffer.from(again.Plaintext!), Buffer.from(dataKey.Plaintext!));
    const { KeyMetadata: ordinary } = await kms.send(new CreateKeyCommand({}));
    const moved = await kms.send(new ReEncryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, DestinationKeyId: ordinary!.KeyId }));
    const back = await kms.send(new ReEncryptCommand({ CiphertextBlob: moved.CiphertextBlob, DestinationKeyId: keyId }));
    assert.deepEqual(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: back.CiphertextBlob }))).Plaintext!), Buffer.from(dataKey.Plaintext!));

    assert.equal((await failureOf(kms.send(new EnableKeyRotationCommand({ KeyId: keyId })))).name, 'UnsupportedOperationException');
    assert.equal((await failureOf(kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })))).name, 'UnsupportedOperationException');
    const random = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32, CustomKeyStoreId: storeId }));
    assert.equal(random.Plaintext?.length, 32);
  });

  test('a disconnected store makes its keys Unavailable, except while pending deletion; reconnecting restores them', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ CustomKeyStoreId: storeId, Origin: 'AWS_CLOUDHSM' }));
    const keyId = KeyMetadata!.KeyId!;
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('kept') }));
    const second = await startTestServer({ dataDir: server.dataDir });
    try {
      // Another node on the same store opens its own session with the stored password, the first time it needs one.
      await second.kms().send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));

      await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
      const described = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
      assert.equal(described.KeyState, 'Unavailable');
      assert.equal(described.Enabled, false);
      assert.equal((await failureOf(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })))).name, 'KeyUnavailableException');
      assert.equal((await failureOf(second.kms().send(new DecryptCommand({ CiphertextBlob })))).name, 'KeyUnavailableException');
      assert.equal((await failureOf(kms.send(new EnableKeyCommand({ KeyId: keyId })))).name, 'KMSInvalidStateException');
      assert.equal((await failureOf(kms.send(new GenerateRandomCommand({ NumberOfBytes: 8, CustomKeyStoreId: storeId })))).name, 'CustomKeyStoreInvalidStateException');

      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'PendingDeletion');
      await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'Unavailable');

      await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'Disabled');
      await kms.send(new EnableKeyCommand({ KeyId: keyId }));
      const opened = await second.kms().send(new DecryptCommand({ CiphertextBlob }));
      assert.equal(Buffer.from(opened.Plaintext!).toString(), 'kept');
    } finally {
      await second.stop();
    }
  });

  test('a store is deleted only disconnected and without keys; a deleted key leaves the token', async () => {
    const { CustomKeyStoreId: id } = await create('short-lived', 'cluster-otherclusterz', tokens[1]!.pin);
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ CustomKeyStoreId: id, Origin: 'AWS_CLOUDHSM' }));
    assert.equal((await failureOf(kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id })))).name, 'CustomKeyStoreInvalidStateException');
    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    assert.equal((await failureOf(kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id })))).name, 'CustomKeyStoreHasCMKsException');

    // Deletion reaches the token even while the store is disconnected (a session is opened for it alone).
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata!.KeyId, PendingWindowInDays: 7 }));
    const key = await server.node.store.keys.get({ accountId: server.accountId, region: 'us-east-1' }, KeyMetadata!.KeyId!);
    await server.node.store.keys.update({ ...key!, deletionAt: Date.now() - 1, revision: key!.revision + 1 });
    const events = await server.node.runDueJobs();
    assert.deepEqual(events.map((event) => event.eventName), ['DeleteKey']);
    const session = await openPkcs11Token({ modulePath: tokens[1]!.modulePath, tokenLabel: tokens[1]!.tokenLabel, pin: tokens[1]!.pin });
    try {
      assert.equal(session.findAesKey(KeyMetadata!.KeyId!), undefined, 'the key object is destroyed');
    } finally {
      session.close();
    }

    await kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    assert.equal((await failureOf(kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: id })))).name, 'CustomKeyStoreNotFoundException');
  });

  test('the password is in no log line and no audit record; the operations are recorded', async () => {
    const everything = server.logs.join('\n') + JSON.stringify(readTrail(server.dataDir));
    assert.ok(!everything.includes(token.pin), 'the PIN appears nowhere');
    assert.ok(!everything.includes('wrong-pin-1'));
    const names = new Set(readTrail(server.dataDir).map((event) => event.eventName));
    for (const name of ['CreateCustomKeyStore', 'ConnectCustomKeyStore', 'DisconnectCustomKeyStore', 'UpdateCustomKeyStore', 'DescribeCustomKeyStores', 'DeleteCustomKeyStore']) {
      assert.ok(names.has(name), `${name} is recorded`);
    }
  });
});
