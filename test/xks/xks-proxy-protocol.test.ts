import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PolicyCache } from '../../src/auth/policy/index.js';
import { createAccessKeyFor } from '../../src/service/identities/access-key-management.js';
import { signedKmsFetch } from '../support/signed-kms-fetch.js';
import { b64, bytes, KEY_IDS, requestMetadata, xksSeed } from './xks-fixtures.js';
import { startXksServer, type XksAnswer, type XksTestServer } from './xks-test-server.js';

/*
 * The XKS proxy API's protocol around its calls: SigV4 with service kms-xks-proxy and XKS credentials only (401
 * AuthenticationFailedException otherwise), routing under the URI prefix (405, 404 InvalidUriPathException), one audit
 * record per call with the requestMetadata and nothing secret, and mutual TLS.
 */

const API = '/xks/kms/xks/v1';
const HEALTH_BODY = { requestMetadata: { kmsOperation: 'KmsHealthCheck', kmsRequestId: 'health-1' } };

function assertXksError(answer: XksAnswer, status: number, errorName: string, label = ''): void {
  assert.equal(answer.status, status, `${label} ${answer.text}`);
  assert.equal(answer.json?.['errorName'], errorName, `${label} ${answer.text}`);
}

describe('authentication', () => {
  let server: XksTestServer;
  before(async () => {
    server = await startXksServer({ seed: xksSeed });
  });
  after(() => server.stop());

  test('a request signed with the credential, for service kms-xks-proxy, in any region, is answered', async () => {
    for (const region of ['eu-west-1', 'us-east-1']) assert.equal((await server.call(`${API}/health`, HEALTH_BODY, { region })).status, 200);
  });

  test('anything else is AuthenticationFailedException (401), before the body is read', async () => {
    const { accessKeyId, secretAccessKey } = server.credentials;
    const cases: Array<[string, Parameters<XksTestServer['call']>[2]]> = [
      ['no signature', { unsigned: true }],
      ['a wrong secret', { credentials: { accessKeyId, secretAccessKey: `Invalid${secretAccessKey}` } }],
      ['an unknown access key id', { credentials: { accessKeyId: 'XKSZZZZZZZZZZZZZZZZZZZZZ', secretAccessKey } }],
      ['an access key id of another shape', { credentials: { accessKeyId: `Invalid${accessKeyId}`, secretAccessKey } }],
      ['the service kms', { service: 'kms' }],
      ['a signature ten minutes old', { signingDate: new Date(Date.now() - 10 * 60_000) }],
      ['a body changed after signing', { tamper: (signed) => signed.body.write('X', signed.body.indexOf('health-1')) }],
    ];
    for (const [what, options] of cases) {
      const answer = await server.call(`${API}/health`, HEALTH_BODY, options);
      assertXksError(answer, 401, 'AuthenticationFailedException', what);
      assert.ok(!answer.text.includes(secretAccessKey), what);
    }
    // A call that would fail validation fails authentication first.
    assertXksError(await server.call(`${API}/health`, 'not json', { unsigned: true }), 401, 'AuthenticationFailedException');
  });

  test('an IAM access key (even of the credential\'s own user) signs nothing here', async () => {
    const iam = { identities: server.node.store.identities, rootKey: server.node.rootKey, now: Date.now, policies: new PolicyCache(10) };
    const user = await server.node.store.identities.getUser(server.accountId, 'xks-proxy');
    const { record, secret } = await createAccessKeyFor(iam, server.accountId, user);
    const credentials = { accessKeyId: record.accessKeyId, secretAccessKey: secret.expose().toString('utf8') };
    assertXksError(await server.call(`${API}/health`, HEALTH_BODY, { credentials }), 401, 'AuthenticationFailedException');
  });

  test('and an XKS credential signs nothing but this: the KMS API does not know it', async () => {
    const response = await signedKmsFetch(server.endpoint, server.credentials, 'ListKeys', {}, { region: 'eu-west-1' });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { __type: string }).__type, 'UnrecognizedClientException');
  });

  test('its use is recorded on the credential', async () => {
    await server.call(`${API}/health`, HEALTH_BODY);
    const stored = await server.node.store.xksCredentials.get(server.credentials.accessKeyId);
    assert.ok(stored?.lastUsedAt !== undefined && Date.now() - stored.lastUsedAt < 60_000);
  });
});

describe('a credential that is deleted, or whose user is', () => {
  test('stops working at once: AuthenticationFailedException', async () => {
    const server = await startXksServer();
    try {
      assert.equal((await server.call(`${API}/health`, HEALTH_BODY)).status, 200);
      await server.node.store.identities.deleteUser(server.accountId, 'xks-proxy');
      const orphaned = await server.call(`${API}/health`, HEALTH_BODY);
      assertXksError(orphaned, 401, 'AuthenticationFailedException');
      assert.match(String(orphaned.json?.['errorMessage']), /IAM user xks-proxy .* no longer exists/);
      assert.equal(await server.node.store.xksCredentials.delete(server.credentials.accessKeyId), true);
      assertXksError(await server.call(`${API}/health`, HEALTH_BODY), 401, 'AuthenticationFailedException');
    } finally {
      await server.stop();
    }
  });
});

describe('routing', () => {
  let server: XksTestServer;
  before(async () => {
    server = await startXksServer({ seed: xksSeed });
  });
  after(() => server.stop());

  test('GET (or any method but POST) on any of the four URIs: 405 Method Not Allowed', async () => {
    for (const path of [`${API}/health`, `${API}/keys/${KEY_IDS.main}/metadata`, `${API}/keys/${KEY_IDS.main}/encrypt`, `${API}/keys/${KEY_IDS.main}/decrypt`]) {
      for (const method of ['GET', 'PUT']) {
        const answer = await server.call(path, '', { method });
        assert.equal(answer.status, 405, `${method} ${path}`);
        assert.equal(answer.headers['allow'], 'POST');
      }
    }
  });

  test('a path under the prefix, or under /kms/xks/, that names no call: InvalidUriPathException (404)', async () => {
    for (const path of [
      '/xks/invalid/kms/xks/v1/health', '/other/kms/xks/v1/health', `${API}/keys/${KEY_IDS.main}/sign`, `${API}/keys/${KEY_IDS.main}`,
      `${API}/healthz`, '/xks/kms/xks/v2/health', `${API}/keys//encrypt`, '/xks/', `${API}/health/`,
    ]) {
      assertXksError(await server.call(path, HEALTH_BODY), 404, 'InvalidUriPathException', path);
    }
  });

  test('the rest of the server is as before: /healthz, and the KMS API', async () => {
    const healthz = await fetch(`${server.endpoint}/healthz`);
    assert.equal(healthz.status, 200);
    const kms = await signedKmsFetch(server.endpoint, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x'.repeat(40) }, 'ListKeys', {});
    assert.equal(((await kms.json()) as { __type: string }).__type, 'UnrecognizedClientException');
  });

  test('with no prefix the calls are at /kms/xks/v1; with a deeper one under it', async () => {
    for (const uriPrefix of ['', '/tenant-a/proxy_1']) {
      const other = await startXksServer({ uriPrefix });
      try {
        assert.equal((await other.call(`${uriPrefix}/kms/xks/v1/health`, HEALTH_BODY)).status, 200);
        assertXksError(await other.call('/xks/kms/xks/v1/health', HEALTH_BODY), 404, 'InvalidUriPathException');
      } finally {
        await other.stop();
      }
    }
  });
});

describe('the audit trail', () => {
  let server: XksTestServer;
  before(async () => {
    server = await startXksServer({ seed: xksSeed });
  });
  after(() => server.stop());

  const SENTINEL_PLAINTEXT = 'SENTINEL-PLAINTEXT-7f3a';
  const SENTINEL_AAD = 'SENTINEL-AAD-91c2';

  async function recordsNamed(eventName: string): Promise<Array<Record<string, unknown>>> {
    const found = await server.node.audit!.lookupEvents({
      accountId: server.accountId,
      lookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }],
    });
    return found.events.map((event) => JSON.parse(event.CloudTrailEvent) as Record<string, unknown>);
  }

  test('each call is one record, durable before the answer, with the requestMetadata and nothing secret', async () => {
    const health = { requestMetadata: { kmsOperation: 'KmsHealthCheck', kmsRequestId: 'req-health' } };
    assert.equal((await server.call(`${API}/health`, health)).status, 200);
    const metadataBody = { requestMetadata: requestMetadata('DescribeKey', { kmsRequestId: 'req-metadata' }) };
    assert.equal((await server.call(`${API}/keys/${KEY_IDS.main}/metadata`, metadataBody)).status, 200);
    const sealed = await server.call(`${API}/keys/xks-main/encrypt`, {
      requestMetadata: requestMetadata('GenerateDataKey', { kmsRequestId: 'req-encrypt' }),
      plaintext: b64(SENTINEL_PLAINTEXT),
      additionalAuthenticatedData: b64(SENTINEL_AAD),
      encryptionAlgorithm: 'AES_GCM',
      ciphertextDataIntegrityValueAlgorithm: 'SHA_256',
    });
    assert.equal(sealed.status, 200, sealed.text);
    const opened = await server.call(`${API}/keys/${KEY_IDS.main}/decrypt`, {
      requestMetadata: requestMetadata('Decrypt', { kmsRequestId: 'req-decrypt' }),
      ciphertext: sealed.json?.['ciphertext'],
      initializationVector: sealed.json?.['initializationVector'],
      authenticationTag: sealed.json?.['authenticationTag'],
      ciphertextMetadata: sealed.json?.['ciphertextMetadata'],
      additionalAuthenticatedData: b64(SENTINEL_AAD),
      encryptionAlgorithm: 'AES_GCM',
    });
    assert.equal(bytes(opened.json?.['plaintext']).toString(), SENTINEL_PLAINTEXT);
    const denied = await server.call(`${API}/keys/${KEY_IDS.ungranted}/encrypt`, {
      requestMetadata: requestMetadata('Encrypt', { kmsRequestId: 'req-denied' }), plaintext: b64(SENTINEL_PLAINTEXT), encryptionAlgorithm: 'AES_GCM',
    });
    assert.equal(denied.status, 403);

    const keyArn = `arn:aws:kms:eu-west-1:${server.accountId}:key/${KEY_IDS.main}`;
    const [healthRecord] = await recordsNamed('XksGetHealthStatus');
    assert.deepEqual(healthRecord?.['requestParameters'], { requestMetadata: { kmsOperation: 'KmsHealthCheck', kmsRequestId: 'req-health' } });
    const [metadataRecord] = await recordsNamed('XksGetKeyMetadata');
    assert.deepEqual(metadataRecord?.['requestParameters'], { keyId: KEY_IDS.main, requestMetadata: metadataBody.requestMetadata });
    const [encryptRecord] = await recordsNamed('XksEncrypt').then((records) => records.filter((record) => record['errorCode'] === undefined));
    assert.deepEqual(encryptRecord?.['requestParameters'], {
      keyId: 'xks-main',
      requestMetadata: { ...requestMetadata('GenerateDataKey', { kmsRequestId: 'req-encrypt' }) },
      encryptionAlgorithm: 'AES_GCM',
      ciphertextDataIntegrityValueAlgorithm: 'SHA_256',
    });
    assert.equal(encryptRecord?.['responseElements'], null);
    assert.deepEqual(encryptRecord?.['resources'], [{ accountId: server.accountId, type: 'AWS::KMS::Key', ARN: keyArn }]);
    assert.equal(encryptRecord?.['awsRegion'], 'eu-west-1');
    const identity = encryptRecord?.['userIdentity'] as Record<string, unknown>;
    assert.equal(identity['type'], 'IAMUser');
    assert.equal(identity['arn'], server.userArn);
    assert.equal(identity['accessKeyId'], server.credentials.accessKeyId);
    const [decryptRecord] = await recordsNamed('XksDecrypt');
    assert.equal((decryptRecord?.['requestParameters'] as { requestMetadata: { kmsRequestId: string } }).requestMetadata.kmsRequestId, 'req-decrypt');
    const deniedRecord = (await recordsNamed('XksEncrypt')).find((record) => record['errorCode'] !== undefined);
    assert.equal(deniedRecord?.['errorCode'], 'AccessDeniedException');
    assert.equal((deniedRecord?.['requestParameters'] as { requestMetadata: { kmsRequestId: string } }).requestMetadata.kmsRequestId, 'req-denied');

    // Nothing of the plaintext, the AAD or the ciphertext is in any record or in the log.
    const everything = JSON.stringify([
      ...(await recordsNamed('XksEncrypt')), ...(await recordsNamed('XksDecrypt')), server.logs,
    ]);
    for (const secret of [SENTINEL_PLAINTEXT, b64(SENTINEL_PLAINTEXT), SENTINEL_AAD, b64(SENTINEL_AAD), String(sealed.json?.['ciphertext'])]) {
      assert.ok(!everything.includes(secret), `the trail or log holds ${secret}`);
    }
  });
});

describe('mutual TLS (--xks-client-ca, --xks-client-subject)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'strongroom-xks-mtls-'));
  after(() => rmSync(directory, { recursive: true, force: true }));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] });
  const file = (name: string) => readFileSync(join(directory, name));
  const SUBJECT = 'cks.kms.eu-west-1.amazonaws.com';

  /** A P-256 key and a certificate for `commonName`, issued by the test CA (or self-signed). */
  function clientCertificate(name: string, commonName: string, selfSigned = false): { cert: Buffer; key: Buffer } {
    if (selfSigned) {
      openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/CN=${commonName}`, '-days', '2');
    } else {
      openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${commonName}`);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2');
    }
    return { cert: file(`${name}.crt`), key: file(`${name}.key`) };
  }

  let server: XksTestServer;
  let kms: { cert: Buffer; key: Buffer };
  before(async () => {
    openssl(
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
      '-subj', '/CN=Strongroom test client CA', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign',
    );
    kms = clientCertificate('kms', SUBJECT);
    server = await startXksServer({ tls: true, clientAuthentication: { ca: file('ca.crt'), subject: SUBJECT } });
  });
  after(() => server.stop());

  test('a client certificate of the CA with the subject is answered', async () => {
    const answer = await server.call(`${API}/health`, HEALTH_BODY, { clientCertificate: kms });
    assert.equal(answer.status, 200, answer.text);
  });

  test('no client certificate: the call is refused with AuthenticationFailedException, the rest of the server still answers', async () => {
    assertXksError(await server.call(`${API}/health`, HEALTH_BODY), 401, 'AuthenticationFailedException');
    const status = await new Promise<number>((resolve, reject) => {
      httpsGet(`${server.endpoint}/healthz`, { ca: server.serverCertificate, agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', reject);
    });
    assert.equal(status, 200);
  });

  test('a certificate with another subject, of another CA, or self-signed: the connection is closed before any answer', async () => {
    const refused = [
      clientCertificate('other-subject', 'cks.kms.us-east-1.amazonaws.com'),
      clientCertificate('self-signed', SUBJECT, true),
    ];
    for (const clientCertificate of refused) {
      await assert.rejects(server.call(`${API}/health`, HEALTH_BODY, { clientCertificate }), /socket hang up|ECONNRESET|EPIPE|alert/i);
    }
  });
});
