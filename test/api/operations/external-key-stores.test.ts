import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeCustomKeyStoresCommand,
  DescribeKeyCommand,
  DisconnectCustomKeyStoreCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateRandomCommand,
  ReEncryptCommand,
  UpdateCustomKeyStoreCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { parseCiphertextBlob } from '../../../src/crypto/ciphertext-blob.js';
import { encodeEncryptionContext } from '../../../src/crypto/encryption-context.js';
import { loadTlsCredentials } from '../../../src/server/tls/tls-credentials.js';
import { loadMaterial } from '../../../src/service/key-materials.js';
import { mutateKey } from '../../../src/service/key-mutation.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { KEY_IDS, MATERIAL, REGION, openLocally, specAad, xksSeed } from '../../xks/xks-fixtures.js';
import { startXksServer, type XksTestServer } from '../../xks/xks-test-server.js';
import { failureOf } from './custom-key-store-fixtures.js';

/**
 * Custom key stores of type EXTERNAL_KEY_STORE (issue 15, ADR 0023) through the AWS SDK: server A's store calls a real
 * XKS proxy — server B, another Strongroom serving `--xks-proxy` over HTTPS with keys of known material — and, for the
 * failures a well-behaved proxy never shows, a hostile one that answers garbage or nothing. Known answers: A's blob is
 * opened with A's material and its envelope's external ciphertext with B's key material, with the AAD the
 * specification and docs/ciphertext-format.md give.
 */
describe('external key stores (EXTERNAL_KEY_STORE through an XKS proxy)', () => {
  let proxy: XksTestServer;
  let hostile: HostileProxy;
  let server: TestServer;
  let kms: KMSClient;
  let storeId: string;
  let proxyStopped = false;
  const path = '/xks/kms/xks/v1';

  before(async () => {
    proxy = await startXksServer({ tls: true, seed: xksSeed });
    hostile = await startHostileProxy();
    server = await startTestServer({ audit: true, xksTrustedCertificates: `${proxy.serverCertificate}\n${hostile.certificate}` });
    kms = server.kms(REGION);
  });
  after(async () => {
    await server?.stop();
    if (!proxyStopped) await proxy?.stop();
    await hostile?.stop();
  });

  const endpointOf = (url: string) => url.replace('127.0.0.1', 'localhost');
  const credential = () => ({ AccessKeyId: proxy.credentials.accessKeyId, RawSecretAccessKey: proxy.credentials.secretAccessKey });
  const create = (name: string, overrides: Record<string, unknown> = {}) =>
    kms.send(new CreateCustomKeyStoreCommand({
      CustomKeyStoreName: name,
      CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
      XksProxyUriEndpoint: endpointOf(proxy.endpoint),
      XksProxyUriPath: path,
      XksProxyConnectivity: 'PUBLIC_ENDPOINT',
      XksProxyAuthenticationCredential: credential(),
      ...overrides,
    }));
  const describeStore = async (id: string) => (await kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: id }))).CustomKeyStores![0]!;
  const inStore = (xksKeyId: string) => ({ Origin: 'EXTERNAL_KEY_STORE' as const, CustomKeyStoreId: storeId, XksKeyId: xksKeyId });

  test('CreateCustomKeyStore asks the proxy\'s health first, and answers each failure as AWS does', async () => {
    const wrongSecret = { AccessKeyId: proxy.credentials.accessKeyId, RawSecretAccessKey: 'A'.repeat(44) };
    assert.equal((await failureOf(create('s', { XksProxyAuthenticationCredential: wrongSecret }))).name, 'XksProxyIncorrectAuthenticationCredentialException');
    assert.equal((await failureOf(create('s', { XksProxyUriPath: '/elsewhere/kms/xks/v1' }))).name, 'XksProxyInvalidConfigurationException');
    assert.equal((await failureOf(create('s', { XksProxyUriEndpoint: 'https://localhost:1' }))).name, 'XksProxyUriUnreachableException');
    assert.equal((await failureOf(create('s', { XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE' }))).name, 'XksProxyVpcEndpointServiceNotFoundException');
    assert.equal((await failureOf(create('s', { XksProxyUriEndpoint: 'http://localhost:1' }))).name, 'ValidationException');

    storeId = (await create('ekm')).CustomKeyStoreId!;
    const entry = await describeStore(storeId);
    assert.equal(entry.CustomKeyStoreType, 'EXTERNAL_KEY_STORE');
    assert.equal(entry.ConnectionState, 'DISCONNECTED');
    assert.deepEqual(entry.XksProxyConfiguration, {
      Connectivity: 'PUBLIC_ENDPOINT', AccessKeyId: proxy.credentials.accessKeyId, UriEndpoint: endpointOf(proxy.endpoint), UriPath: path,
    });
    assert.ok(!JSON.stringify(entry).includes(proxy.credentials.secretAccessKey), 'the secret is never returned');
    assert.equal((await failureOf(create('ekm-again'))).name, 'XksProxyUriInUseException');
    assert.equal((await failureOf(kms.send(new CreateKeyCommand(inStore(KEY_IDS.main))))).name, 'CustomKeyStoreInvalidStateException');
  });

  test('a connected store makes keys whose external key the proxy describes as AES_256, ENCRYPT and DECRYPT, ENABLED', async () => {
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    assert.equal((await describeStore(storeId)).ConnectionState, 'CONNECTED');
    assert.equal((await failureOf(kms.send(new CreateKeyCommand(inStore('no-such-key'))))).name, 'XksKeyNotFoundException');
    // The proxy's user may describe this one but use it for nothing: its key usage lacks ENCRYPT and DECRYPT.
    assert.equal((await failureOf(kms.send(new CreateKeyCommand(inStore(KEY_IDS.impotent))))).name, 'XksKeyInvalidConfigurationException');
    // This one it may not even describe: the proxy's AccessDeniedException is AWS's KMSInvalidStateException.
    assert.equal((await failureOf(kms.send(new CreateKeyCommand(inStore(KEY_IDS.encryptOnly))))).name, 'KMSInvalidStateException');
    assert.equal((await failureOf(kms.send(new CreateKeyCommand(inStore(KEY_IDS.disabled))))).name, 'XksKeyInvalidConfigurationException');
    assert.equal((await failureOf(kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: storeId })))).name, 'ValidationException');
    const { KeyMetadata } = await kms.send(new CreateKeyCommand(inStore(KEY_IDS.main)));
    assert.equal(KeyMetadata?.Origin, 'EXTERNAL_KEY_STORE');
    assert.equal(KeyMetadata?.CustomKeyStoreId, storeId);
    assert.deepEqual(KeyMetadata?.XksKeyConfiguration, { Id: KEY_IDS.main });
    assert.equal(KeyMetadata?.CloudHsmClusterId, undefined);
    assert.equal((await failureOf(kms.send(new CreateKeyCommand(inStore(KEY_IDS.main))))).name, 'XksKeyAlreadyInUseException');
    assert.equal((await failureOf(kms.send(new GenerateRandomCommand({ NumberOfBytes: 8, CustomKeyStoreId: storeId })))).name, 'UnsupportedOperationException');
  });

  test('Encrypt encrypts twice: the blob opens with the key\'s material, its envelope with the external key', async () => {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: await mainKeyId() }));
    const keyId = KeyMetadata!.KeyId!;
    const context = { tenant: 'a' };
    const plaintext = Buffer.from('a secret only both layers together reveal');
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }));
    assert.deepEqual(Buffer.from(decrypted.Plaintext!), plaintext);
    assert.equal((await failureOf(kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { tenant: 'b' } })))).name, 'InvalidCiphertextException');

    // The known answer: A's layer, then B's, each opened here with its own key and the documented AAD.
    const blob = parseCiphertextBlob(Buffer.from(encrypted.CiphertextBlob!));
    const key = (await server.node.store.keys.get({ accountId: server.accountId, region: REGION }, keyId))!;
    const material = (await loadMaterial(server.node.deps, key, blob.materialId))!;
    const aad = Buffer.concat([blob.header, encodeEncryptionContext(context)]);
    const envelope = openLocally(material.expose(), blob.iv, blob.ciphertext, blob.tag, aad);
    assert.equal(envelope[0], 1, 'envelope version 1');
    const ivLength = envelope[1]!;
    const iv = envelope.subarray(2, 2 + ivLength);
    const metadataLength = envelope[2 + ivLength]!;
    const metadata = envelope.subarray(3 + ivLength, 3 + ivLength + metadataLength);
    const tag = envelope.subarray(3 + ivLength + metadataLength, 19 + ivLength + metadataLength);
    const external = envelope.subarray(19 + ivLength + metadataLength);
    assert.deepEqual(openLocally(MATERIAL.mainCurrent, iv, external, tag, specAad(aad, metadata)), plaintext);

    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    const { KeyMetadata: ordinary } = await kms.send(new CreateKeyCommand({}));
    const moved = await kms.send(new ReEncryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, DestinationKeyId: ordinary!.KeyId }));
    const back = await kms.send(new ReEncryptCommand({ CiphertextBlob: moved.CiphertextBlob, DestinationKeyId: keyId }));
    assert.deepEqual(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: back.CiphertextBlob }))).Plaintext!), Buffer.from(dataKey.Plaintext!));

    // The proxy's trail names A's caller, operation and request.
    const records = await proxy.node.audit!.lookupEvents({
      accountId: proxy.accountId,
      lookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'XksEncrypt' }],
    });
    const metadataSent = records.events
      .map((event) => (JSON.parse(event.CloudTrailEvent) as { requestParameters?: { requestMetadata?: Record<string, string> } }).requestParameters?.requestMetadata)
      .find((sent) => sent?.['kmsRequestId'] === encrypted.$metadata.requestId);
    assert.deepEqual(metadataSent && { ...metadataSent }, {
      awsPrincipalArn: `arn:aws:iam::${server.accountId}:root`,
      kmsKeyArn: KeyMetadata!.Arn,
      kmsOperation: 'Encrypt',
      kmsRequestId: encrypted.$metadata.requestId,
    });
  });

  test('a disabled external key, a proxy gone, or a disconnected store refuse cryptography with KMSInvalidStateException', async () => {
    const keyId = await mainKeyId();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    const external = (await proxy.node.store.keys.get({ accountId: proxy.accountId, region: REGION }, KEY_IDS.main))!;
    await mutateKey(proxy.node.deps, external, () => ({ fields: { state: 'Disabled' } }));
    const disabled = await failureOf(kms.send(new DecryptCommand({ CiphertextBlob })));
    assert.equal(disabled.name, 'KMSInvalidStateException');
    assert.match(disabled.message, /not enabled in the external key manager/);
    const enabledAgain = (await proxy.node.store.keys.get({ accountId: proxy.accountId, region: REGION }, KEY_IDS.main))!;
    await mutateKey(proxy.node.deps, enabledAgain, () => ({ fields: { state: 'Enabled' } }));
    assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString(), 'x');

    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'Unavailable');
    const notConnected = await failureOf(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })));
    assert.equal(notConnected.name, 'KMSInvalidStateException');
    assert.match(notConnected.message, /not connected to its external key store proxy/);
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));

    await proxy.stop();
    proxyStopped = true;
    const started = Date.now();
    const gone = await failureOf(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })));
    assert.equal(gone.name, 'KMSInvalidStateException');
    assert.match(gone.message, /cannot communicate with the external key store proxy/);
    assert.ok(Date.now() - started < 5_000, 'answered within the bound');
  });

  test('a proxy that answers garbage, or nothing in time, fails the connection with AWS\'s codes, in bounded time', async () => {
    const create = (name: string, endpoint: string) =>
      kms.send(new CreateCustomKeyStoreCommand({
        CustomKeyStoreName: name, CustomKeyStoreType: 'EXTERNAL_KEY_STORE', XksProxyUriEndpoint: endpoint, XksProxyUriPath: path,
        XksProxyConnectivity: 'PUBLIC_ENDPOINT', XksProxyAuthenticationCredential: credential(),
      }));
    hostile.answer = 'healthy';
    const { CustomKeyStoreId: id } = await create('hostile', endpointOf(hostile.endpoint));
    for (const [answer, code] of [['garbage', 'XKS_PROXY_INVALID_RESPONSE'], ['silence', 'XKS_PROXY_TIMED_OUT']] as const) {
      hostile.answer = answer;
      const started = Date.now();
      await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
      assert.ok(Date.now() - started < 5_000, 'answered within the bound');
      const entry = await describeStore(id!);
      assert.deepEqual([entry.ConnectionState, entry.ConnectionErrorCode], ['FAILED', code]);
      await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    }
    hostile.answer = 'healthy';
    await kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: id, NewCustomKeyStoreName: 'hostile-renamed' }));
  });

  async function mainKeyId(): Promise<string> {
    const keys = await server.node.store.keys.list({ accountId: server.accountId, region: REGION }, { limit: 100 });
    return keys.items.find((key) => key.xksKeyId === KEY_IDS.main)!.id;
  }
});

interface HostileProxy {
  readonly endpoint: string;
  readonly certificate: string;
  /** What it answers every call with next. */
  answer: 'healthy' | 'garbage' | 'silence';
  stop(): Promise<void>;
}

/** An HTTPS server speaking just enough of the XKS API to be created as a store, then misbehaving on demand. */
async function startHostileProxy(): Promise<HostileProxy> {
  const directory = await mkdtemp(join(tmpdir(), 'strongroom-hostile-xks-'));
  const tls = await loadTlsCredentials({ source: 'self-signed' }, directory);
  const state: HostileProxy = { endpoint: '', certificate: tls.cert.toString('utf8'), answer: 'healthy', stop: async () => {} };
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    request.resume();
    if (state.answer === 'silence') return; // never answers: the caller's bound must end the call
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(state.answer === 'garbage'
      ? '{"xksProxyFleetSize": "many"'
      : JSON.stringify({ xksProxyFleetSize: 1, xksProxyVendor: 'x', xksProxyModel: 'x', ekmVendor: 'x', ekmFleetDetails: [{ id: 'a', model: 'x', healthStatus: 'ACTIVE' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(state, {
    endpoint: `https://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  });
}
