import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { readServerConfig } from '../../src/server/config.js';
import { ensureSelfSignedCertificate } from '../../src/server/tls/self-signed-certificate.js';
import { loadTlsCredentials } from '../../src/server/tls/tls-credentials.js';
import { administratorCredentials, newDataDir, startServerProcess } from '../support/server-process.js';

/** An SDK request handler that trusts exactly the given certificate. */
function trusting(ca: Buffer): NodeHttpHandler {
  return new NodeHttpHandler({ httpsAgent: new Agent({ ca }) });
}

/** A key policy: the account administers the key; `deny` is refused when aws:SecureTransport is `when`. */
function secureTransportPolicy(accountId: string, deny: string, when: 'true' | 'false'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'Transport',
        Effect: 'Deny',
        Principal: '*',
        Action: deny,
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': when } },
      },
    ],
  });
}

function plainHttpGet(endpoint: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpGet(endpoint.replace('https://', 'http://'), (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
  });
}

describe('strongroom serve over TLS', () => {
  test('--tls-self-signed: generates a certificate, serves the SDK over HTTPS, records tlsDetails, sets aws:SecureTransport', async () => {
    const server = await startServerProcess(['--tls-self-signed', '--workers', '2']);
    assert.match(server.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/, server.stderr());
    try {
      const certFile = join(server.dataDir, 'tls.crt');
      assert.equal(statSync(certFile).mode & 0o777, 0o600);
      assert.equal(statSync(join(server.dataDir, 'tls.key')).mode & 0o777, 0o600);
      const ca = readFileSync(certFile);
      const certificate = new X509Certificate(ca);
      assert.equal(certificate.subjectAltName, 'IP Address:127.0.0.1, DNS:localhost');
      assert.ok(server.stdout().includes(`SHA-256 fingerprint ${certificate.fingerprint256}`), server.stdout());

      const accountId = /\(account (\d{12})/.exec(server.stdout())?.[1] ?? '';
      const options = { endpoint: server.endpoint, region: 'us-east-1', credentials: administratorCredentials(server.dataDir), maxAttempts: 1 };
      const kms = new KMSClient({ ...options, requestHandler: trusting(ca) });
      const cloudTrail = new CloudTrailClient({ ...options, requestHandler: trusting(ca) });
      try {
        // Denied on plain HTTP only: over TLS the key works.
        const { KeyMetadata } = await kms.send(
          new CreateKeyCommand({ Policy: secureTransportPolicy(accountId, 'kms:*', 'false') }),
        );
        const keyArn = KeyMetadata!.Arn!;
        const encrypted = await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('over tls') }));
        const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob! }));
        assert.equal(Buffer.from(decrypted.Plaintext!).toString('utf8'), 'over tls');

        // Denied over TLS: proves aws:SecureTransport is present and true, not merely absent.
        const denied = await kms.send(new CreateKeyCommand({ Policy: secureTransportPolicy(accountId, 'kms:Encrypt', 'true') }));
        await assert.rejects(
          kms.send(new EncryptCommand({ KeyId: denied.KeyMetadata!.KeyId!, Plaintext: Buffer.from('x') })),
          { name: 'AccessDeniedException' },
        );

        const { Events } = await cloudTrail.send(
          new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: keyArn }] }),
        );
        const encryptEvent = Events?.find((event) => event.EventName === 'Encrypt');
        assert.ok(encryptEvent, 'the Encrypt call is in the trail');
        const tlsDetails = JSON.parse(encryptEvent.CloudTrailEvent ?? '{}').tlsDetails;
        assert.deepEqual(tlsDetails, {
          tlsVersion: 'TLSv1.3',
          cipherSuite: tlsDetails?.cipherSuite,
          clientProvidedHostHeader: new URL(server.endpoint).host,
        });
        assert.match(tlsDetails.cipherSuite, /^TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)$/);
      } finally {
        kms.destroy();
        cloudTrail.destroy();
      }

      await assert.rejects(plainHttpGet(server.endpoint), 'plain HTTP to the TLS port gets no answer');
    } finally {
      assert.equal(await server.stop(), 0);
    }

    const again = await startServerProcess(['--tls-self-signed', '--workers', '1'], server.dataDir);
    const fingerprint = new X509Certificate(readFileSync(join(server.dataDir, 'tls.crt'))).fingerprint256;
    assert.ok(again.stdout().includes(fingerprint), 'a later start reuses the generated certificate');
    assert.equal(await again.stop(), 0);
  });

  test('--tls-cert/--tls-key: refuses to start when the key does not belong to the certificate', async () => {
    const other = await newDataDir();
    const { certFile } = await ensureSelfSignedCertificate(other);
    const strangerKey = join(other, 'stranger.key');
    writeFileSync(strangerKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    const server = await startServerProcess(['--tls-cert', certFile, '--tls-key', strangerKey, '--workers', '1']);
    assert.equal(server.endpoint, '');
    assert.equal(await server.stop(), 1);
    assert.match(server.stderr(), /strongroom: the TLS key .*stranger\.key does not match the certificate .*tls\.crt/);
    assert.doesNotMatch(server.stderr(), /PRIVATE KEY/);
  });

  test('--tls-cert without --tls-key refuses to start, saying what is missing', async () => {
    const server = await startServerProcess(['--tls-cert', '/nonexistent/tls.crt', '--workers', '1']);
    assert.equal(server.endpoint, '');
    assert.equal(await server.stop(), 1);
    assert.match(server.stderr(), /--tls-cert needs --tls-key/);
  });
});

describe('TLS configuration', () => {
  test('flags and environment choose the certificate; half or conflicting settings are refused', () => {
    assert.equal(readServerConfig([], {}).tls, undefined);
    assert.deepEqual(readServerConfig(['--tls-self-signed'], {}).tls, { source: 'self-signed' });
    assert.deepEqual(readServerConfig([], { STRONGROOM_TLS_CERT: '/etc/c.pem', STRONGROOM_TLS_KEY: '/etc/k.pem' }).tls, {
      source: 'files',
      certFile: '/etc/c.pem',
      keyFile: '/etc/k.pem',
    });
    assert.throws(() => readServerConfig(['--tls-key', '/k.pem'], {}), /--tls-key needs --tls-cert/);
    assert.throws(() => readServerConfig([], { STRONGROOM_TLS_CERT: '/c.pem' }), /--tls-cert needs --tls-key/);
    assert.throws(
      () => readServerConfig(['--tls-self-signed', '--tls-cert', '/c.pem', '--tls-key', '/k.pem'], {}),
      /cannot be combined/,
    );
  });

  test('loading names the unreadable, malformed or mismatched file without quoting it', async () => {
    const dataDir = await newDataDir();
    const { certFile, keyFile } = await ensureSelfSignedCertificate(dataDir);
    const loaded = await loadTlsCredentials({ source: 'files', certFile, keyFile }, dataDir);
    assert.equal(loaded.fingerprint, new X509Certificate(readFileSync(certFile)).fingerprint256);

    const missing = join(dataDir, 'missing.crt');
    await assert.rejects(loadTlsCredentials({ source: 'files', certFile: missing, keyFile }, dataDir), {
      message: `cannot read the TLS certificate ${missing}: ENOENT`,
    });
    await assert.rejects(loadTlsCredentials({ source: 'files', certFile: keyFile, keyFile }, dataDir), {
      message: `the TLS certificate ${keyFile} is not a PEM X.509 certificate`,
    });
    await assert.rejects(loadTlsCredentials({ source: 'files', certFile, keyFile: certFile }, dataDir), {
      message: `the TLS key ${certFile} is not an unencrypted PEM private key`,
    });
  });

  test('--tls-self-signed without the openssl tool says which tool is missing', async () => {
    const dataDir = await newDataDir();
    await assert.rejects(loadTlsCredentials({ source: 'self-signed' }, dataDir, { openssl: 'strongroom-no-such-openssl' }), {
      message: /needs the openssl command-line tool .*"strongroom-no-such-openssl" was not found/,
    });
  });
});
