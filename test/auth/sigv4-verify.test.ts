import assert from 'node:assert/strict';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import { createSigV4Verifier, signRequest, type HttpRequestToVerify } from '../../src/auth/sigv4/index.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const secret = SecretBytes.copyOf(Buffer.from(SECRET));
const body = Buffer.from(JSON.stringify({ KeyId: 'alias/app', Plaintext: 'aGVsbG8=' }));

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** node:crypto as the hash the smithy signer expects. */
class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(key?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = key ? createHmac('sha256', bytes(key)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

function baseRequest(): HttpRequestToVerify {
  return {
    method: 'POST',
    path: '/',
    query: '',
    headers: { host: '127.0.0.1:4599', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' },
    body,
  };
}

function signed(at = NOW, overrides: { service?: string; key?: SecretBytes } = {}): HttpRequestToVerify {
  const request = baseRequest();
  const headers = signRequest(request, {
    accessKeyId: 'AKIDEXAMPLE',
    secret: overrides.key ?? secret,
    region: 'eu-west-1',
    service: overrides.service ?? 'kms',
    now: at,
  });
  return { ...request, headers: { ...request.headers, ...headers } };
}

const verifier = () => createSigV4Verifier({ service: 'kms', now: () => NOW });
const lookup = (id: string) => (id === 'AKIDEXAMPLE' ? secret : undefined);

describe('SigV4 verification', () => {
  test('a request signed by @smithy/signature-v4 (what the AWS SDKs use) verifies', async () => {
    const signer = new SignatureV4({
      service: 'kms',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
      sha256: NodeSha256,
    });
    const request = baseRequest();
    const smithy = await signer.sign(
      { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4599, path: '/', headers: { ...request.headers } as Record<string, string>, body },
      { signingDate: new Date(NOW) },
    );
    const headers = Object.fromEntries(Object.entries(smithy.headers).map(([name, value]) => [name.toLowerCase(), value]));
    const verified = await verifier().verify({ ...request, headers }, lookup);
    assert.deepEqual(verified, { accessKeyId: 'AKIDEXAMPLE', region: 'eu-west-1', service: 'kms', signedAt: NOW });
    // And our signer, given the same headers (smithy adds the payload hash), agrees with it byte for byte.
    const withHash = { ...request, headers: { ...request.headers, 'x-amz-content-sha256': headers['x-amz-content-sha256']! } };
    const ours = signRequest(withHash, { accessKeyId: 'AKIDEXAMPLE', secret, region: 'eu-west-1', service: 'kms', now: NOW });
    assert.equal(ours['authorization'], headers['authorization']);
  });

  test('the region of the credential scope is returned; a session token is passed through', async () => {
    const request = baseRequest();
    const headers = signRequest(request, { accessKeyId: 'AKIDEXAMPLE', secret, region: 'ap-south-1', service: 'kms', now: NOW, sessionToken: 'token' });
    const verified = await verifier().verify({ ...request, headers: { ...request.headers, ...headers } }, lookup);
    assert.equal(verified.region, 'ap-south-1');
    assert.equal(verified.sessionToken, 'token');
  });

  const refusals: Array<[string, () => HttpRequestToVerify, string, RegExp?]> = [
    ['a wrong secret', () => signed(NOW, { key: SecretBytes.copyOf(Buffer.from('not-the-secret')) }), 'InvalidSignatureException', /does not match/],
    ['a tampered body', () => ({ ...signed(), body: Buffer.from('{"KeyId":"alias/other"}') }), 'InvalidSignatureException'],
    ['a tampered signed header', () => ({ ...signed(), headers: { ...signed().headers, 'x-amz-target': 'TrentService.Decrypt' } }), 'InvalidSignatureException'],
    ['a date 6 minutes old', () => signed(NOW - 6 * 60_000), 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than/],
    ['a date 6 minutes ahead', () => signed(NOW + 6 * 60_000), 'InvalidSignatureException', /^Signature not yet current/],
    ['another service', () => signed(NOW, { service: 'sts' }), 'IncompleteSignatureException', /scoped to correct service: 'kms'/],
    ['no Authorization header', () => baseRequest(), 'MissingAuthenticationTokenException', /Missing Authentication Token/],
    ['a malformed Authorization header', () => ({ ...baseRequest(), headers: { ...baseRequest().headers, authorization: 'AWS4-HMAC-SHA256 Credential=x', 'x-amz-date': '20261122T120000Z' } }), 'IncompleteSignatureException'],
    ['another algorithm', () => ({ ...signed(), headers: { ...signed().headers, authorization: 'AWS4-HMAC-SHA1 Credential=x' } }), 'IncompleteSignatureException'],
  ];
  for (const [what, request, name, message] of refusals) {
    test(`refuses ${what} with ${name}`, async () => {
      await assert.rejects(verifier().verify(request(), lookup), (error: Error) => {
        assert.equal(error.name, name);
        if (message) assert.match(error.message, message);
        assert.doesNotMatch(error.message, /aGVsbG8|wJalr/);
        return true;
      });
    });
  }

  test('an unknown access key is UnrecognizedClientException', async () => {
    await assert.rejects(verifier().verify(signed(), () => undefined), {
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  test('a cached signing key does not outlive a change of secret', async () => {
    const shared = verifier();
    await shared.verify(signed(), lookup);
    const replaced = SecretBytes.copyOf(Buffer.from('a-new-secret'));
    await assert.rejects(shared.verify(signed(), () => replaced), { name: 'InvalidSignatureException' });
    await shared.verify(signed(NOW, { key: replaced }), () => replaced);
  });
});
