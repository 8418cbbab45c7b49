import { createHmac } from 'node:crypto';
import type { SecretBytes } from '../../crypto/secret-bytes.js';
import { buildCanonicalRequest, buildStringToSign, sha256Hex, type RequestToCanonicalize } from './canonical-request.js';
import { deriveSigningKey } from './signing-key.js';

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secret: SecretBytes;
  readonly region: string;
  readonly service: string;
  /** Epoch milliseconds of the signature. */
  readonly now: number;
  readonly sessionToken?: string;
}

/**
 * Signs a request (header-based SigV4) with the same canonicalisation the verifier uses, for tests and the
 * benchmark. Signs every header given (`host` must be among them) plus `x-amz-date` and the session token.
 * Returns the headers to add.
 */
export function signRequest(
  request: RequestToCanonicalize & { readonly body: Buffer },
  credentials: SigningCredentials,
): Record<string, string> {
  const amzDate = new Date(credentials.now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const added: Record<string, string> = { 'x-amz-date': amzDate };
  if (credentials.sessionToken !== undefined) added['x-amz-security-token'] = credentials.sessionToken;
  const headers = { ...request.headers, ...added };
  const signedHeaders = Object.keys(headers).map((name) => name.toLowerCase()).sort();
  const canonicalRequest = buildCanonicalRequest({ ...request, headers }, signedHeaders, sha256Hex(request.body));
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${credentials.region}/${credentials.service}/aws4_request`;
  const key = deriveSigningKey(credentials.secret, date, credentials.region, credentials.service);
  const signature = createHmac('sha256', key).update(buildStringToSign(amzDate, scope, canonicalRequest)).digest('hex');
  return {
    ...added,
    authorization:
      `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, ` +
      `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
  };
}
