import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signRequest } from '../../src/auth/sigv4/index.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Sends a raw request, signed with the administrator's credentials unless `unsigned`. */
async function send(
  server: TestServer,
  options: { target?: string; body?: string | Buffer; contentType?: string; unsigned?: boolean; method?: string },
) {
  const body = Buffer.from(options.body ?? '{}');
  const headers: Record<string, string> = { host: new URL(server.endpoint).host };
  if (options.contentType !== '') headers['content-type'] = options.contentType ?? 'application/x-amz-json-1.1';
  if (options.target) headers['x-amz-target'] = options.target;
  const signed = options.unsigned
    ? {}
    : signRequest(
        { method: options.method ?? 'POST', path: '/', query: '', headers, body },
        {
          accessKeyId: server.credentials.accessKeyId,
          secret: SecretBytes.copyOf(Buffer.from(server.credentials.secretAccessKey)),
          region: 'us-east-1',
          service: 'kms',
          now: Date.now(),
        },
      );
  const response = await fetch(server.endpoint, {
    method: options.method ?? 'POST',
    headers: { ...headers, ...signed },
    ...(options.method === 'GET' ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text, json: () => JSON.parse(text) as Record<string, string> };
}

describe('hostile and malformed requests get clean AWS errors, never a crash or a 500', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('every response carries x-amzn-RequestId', async () => {
    const response = await send(server, { target: 'TrentService.ListKeys' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('no signature → MissingAuthenticationTokenException', async () => {
    const response = await send(server, { target: 'TrentService.ListKeys', unsigned: true });
    assert.equal(response.status, 400);
    assert.equal(response.json()['__type'], 'MissingAuthenticationTokenException');
  });

  test('an unknown target → UnknownOperationException', async () => {
    const response = await send(server, { target: 'TrentService.MakeCoffee' });
    assert.equal(response.status, 400);
    assert.equal(response.json()['__type'], 'UnknownOperationException');
  });

  test('a custom key store request without what its type needs → ValidationException, nothing made', async () => {
    const response = await send(server, { target: 'TrentService.CreateCustomKeyStore', body: '{"CustomKeyStoreName":"x"}' });
    assert.equal(response.status, 400);
    assert.equal(response.json()['__type'], 'ValidationException');
    assert.match(response.json()['message'] ?? '', /CloudHsmClusterId/);
  });

  test('invalid JSON → SerializationException', async () => {
    const response = await send(server, { target: 'TrentService.ListKeys', body: '{"Limit": ' });
    assert.equal(response.status, 400);
    assert.equal(response.json()['__type'], 'SerializationException');
  });

  test('JSON that is not an object, and members of the wrong type → SerializationException', async () => {
    const cases: Array<[string, string]> = [
      ['ListKeys', '[]'],
      ['ListKeys', '"text"'],
      ['ListKeys', '{"Limit":"ten"}'],
      ['DescribeKey', '{"KeyId":{"a":1}}'],
      ['Encrypt', '{"KeyId":"alias/x","Plaintext":12}'],
    ];
    for (const [operation, body] of cases) {
      const response = await send(server, { target: `TrentService.${operation}`, body });
      assert.equal(response.status, 400, body);
      assert.equal(response.json()['__type'], 'SerializationException', body);
    }
  });

  test('a wrong content type is refused', async () => {
    const response = await send(server, { target: 'TrentService.ListKeys', contentType: 'text/plain' });
    assert.equal(response.status, 400);
    assert.equal(response.json()['__type'], 'UnknownOperationException');
  });

  test('an oversized body → 413 without reading it all', async () => {
    const response = await send(server, { target: 'TrentService.Encrypt', body: Buffer.alloc(2 * 1024 * 1024, 0x41) });
    assert.equal(response.status, 413);
  });

  test('a GET or an empty request → a clean error', async () => {
    assert.equal((await send(server, { method: 'GET', unsigned: true })).status, 400);
    assert.equal((await send(server, { contentType: '', unsigned: true, body: '' })).status, 400);
  });

  test('a base64 blob that is not base64 → SerializationException', async () => {
    const response = await send(server, { target: 'TrentService.Decrypt', body: '{"CiphertextBlob":"***"}' });
    assert.equal(response.json()['__type'], 'SerializationException');
  });

  test('random garbage as a ciphertext → InvalidCiphertextException', async () => {
    for (const length of [1, 16, 64, 300, 6144]) {
      const blob = Buffer.alloc(length, length % 251).toString('base64');
      const response = await send(server, { target: 'TrentService.Decrypt', body: JSON.stringify({ CiphertextBlob: blob }) });
      assert.equal(response.status, 400);
      assert.equal(response.json()['__type'], 'InvalidCiphertextException', `length ${length}`);
    }
  });

  test('nothing above produced a 500 or an internal error in the log', () => {
    assert.deepEqual(server.logs.filter((line) => line.includes('"level":"error"')), []);
  });
});
