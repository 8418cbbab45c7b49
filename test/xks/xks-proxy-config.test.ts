import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readServerConfig } from '../../src/server/config.js';

/* `serve --xks-proxy` and its flags, with their environment variables. */

const TLS = ['--tls-cert', 'server.crt', '--tls-key', 'server.key'];

describe('serve --xks-proxy', () => {
  test('is off by default; on, its prefix is /xks', () => {
    assert.equal(readServerConfig([], {}).xksProxy, undefined);
    assert.deepEqual(readServerConfig(['--xks-proxy'], {}).xksProxy, { uriPrefix: '/xks' });
    assert.deepEqual(readServerConfig([], { STRONGROOM_XKS_PROXY: '1' }).xksProxy, { uriPrefix: '/xks' });
  });

  test('a prefix is normalized: a leading slash added, trailing ones dropped, "/" or "" for none', () => {
    const prefixOf = (prefix: string) => readServerConfig(['--xks-proxy', '--xks-uri-prefix', prefix], {}).xksProxy?.uriPrefix;
    assert.equal(prefixOf('tenant-a/keys_1/'), '/tenant-a/keys_1');
    assert.equal(prefixOf('/'), '');
    assert.equal(prefixOf(''), '');
    assert.equal(readServerConfig(['--xks-proxy'], { STRONGROOM_XKS_URI_PREFIX: '/from-env' }).xksProxy?.uriPrefix, '/from-env');
  });

  test('refuses a prefix XksProxyUriPath cannot hold (characters, or longer than 128 with /kms/xks/v1)', () => {
    for (const prefix of ['/a b', '/a.b', '/a//b', `/${'a'.repeat(117)}`]) {
      assert.throws(() => readServerConfig(['--xks-proxy', '--xks-uri-prefix', prefix], {}), /invalid --xks-uri-prefix/, prefix);
    }
    assert.equal(readServerConfig(['--xks-proxy', '--xks-uri-prefix', `/${'a'.repeat(116)}`], {}).xksProxy?.uriPrefix.length, 117);
  });

  test('mutual TLS: --xks-client-ca (with an optional subject) needs HTTPS', () => {
    const config = readServerConfig(['--xks-proxy', ...TLS, '--xks-client-ca', 'ca.pem', '--xks-client-subject', 'cks.kms.eu-west-1.amazonaws.com'], {});
    assert.match(config.xksProxy?.clientCaFile ?? '', /\/ca\.pem$/);
    assert.equal(config.xksProxy?.clientSubject, 'cks.kms.eu-west-1.amazonaws.com');
    assert.throws(() => readServerConfig(['--xks-proxy', '--xks-client-ca', 'ca.pem'], {}), /--xks-client-ca needs HTTPS/);
    assert.throws(() => readServerConfig(['--xks-proxy', ...TLS, '--xks-client-subject', 'x'], {}), /--xks-client-subject goes with --xks-client-ca/);
  });

  test('its flags without --xks-proxy are refused', () => {
    for (const flag of [['--xks-uri-prefix', '/x'], ['--xks-client-ca', 'ca.pem'], ['--xks-client-subject', 'x']]) {
      assert.throws(() => readServerConfig([...TLS, ...flag], {}), /goes with --xks-proxy/);
    }
  });
});
