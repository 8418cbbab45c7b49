import { createHmac } from 'node:crypto';
import type { SecretBytes } from '../../crypto/secret-bytes.js';
import { formatAmzDate } from './amz-date.js';
import { buildCanonicalRequest, buildStringToSign, credentialScope, sha256Hex, SIGV4_ALGORITHM } from './canonical-request.js';
import type { HeaderValue, HttpRequestToVerify } from './http-request.js';
import { deriveSigningKey } from './signing-key.js';

export interface SigningOptions {
  readonly accessKeyId: string;
  readonly secret: SecretBytes;
  readonly region: string;
  readonly service: string;
  /** Epoch milliseconds of the signature (whole seconds are used). */
  readonly now: number;
  /** Temporary credentials: sent and signed as X-Amz-Security-Token. */
  readonly sessionToken?: string;
  /** Send and sign `x-amz-content-sha256`, as the AWS SDKs do. Default true. */
  readonly signPayloadHash?: boolean;
}

/**
 * Signs a request with an Authorization header, from the canonicalisation the verifier uses — for tests
 * and the benchmark (agreement with `@smithy/signature-v4` is tested). Every header given is signed
 * (`host` must be among them), plus those it adds. Returns the headers to add: `x-amz-date`, optionally
 * `x-amz-content-sha256` and `x-amz-security-token`, and `authorization`.
 *
 * @example
 *   const headers = { host: '127.0.0.1:4599', 'content-type': 'application/x-amz-json-1.1' };
 *   const added = signRequest({ method: 'POST', path: '/', query: '', headers, body },
 *     { accessKeyId, secret, region: 'eu-west-1', service: 'kms', now: Date.now() });
 *   fetch(url, { method: 'POST', headers: { ...headers, ...added }, body });
 */
export function signRequest(request: HttpRequestToVerify, options: SigningOptions): Record<string, string> {
  const amzDate = formatAmzDate(options.now);
  const payloadHash = sha256Hex(request.body);
  const added: Record<string, string> = { 'x-amz-date': amzDate };
  if (options.signPayloadHash ?? true) added['x-amz-content-sha256'] = payloadHash;
  if (options.sessionToken !== undefined) added['x-amz-security-token'] = options.sessionToken;

  const headers: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name.toLowerCase() !== 'authorization') headers[name.toLowerCase()] = value;
  }
  Object.assign(headers, added);
  const signedHeaders = Object.keys(headers).sort();
  const canonicalRequest = buildCanonicalRequest({ ...request, headers, signedHeaders, payloadHash });

  const date = amzDate.slice(0, 8);
  const scope = credentialScope(date, options.region, options.service);
  const key = deriveSigningKey(options.secret, date, options.region, options.service);
  try {
    const signature = createHmac('sha256', key.expose())
      .update(buildStringToSign(amzDate, scope, canonicalRequest))
      .digest('hex');
    added['authorization'] =
      `${SIGV4_ALGORITHM} Credential=${options.accessKeyId}/${scope}, ` +
      `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
    return added;
  } finally {
    key.wipe();
  }
}
