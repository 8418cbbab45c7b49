import { hash } from 'node:crypto';
import { canonicalHeaders } from './canonical-headers.js';
import { canonicalQuery } from './canonical-query.js';
import { canonicalUri } from './canonical-uri.js';
import type { HeaderMap } from './http-request.js';

/** The one algorithm Strongroom signs and verifies with. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** SHA-256 of the empty body, the payload hash of every GET. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Lower-case hex SHA-256, the form SigV4 hashes take. */
export function sha256Hex(data: Buffer | string): string {
  if (data.length === 0) return EMPTY_BODY_SHA256;
  return hash('sha256', data, 'hex'); // one-shot: no Hash object per request
}

export interface CanonicalRequestInput {
  readonly method: string;
  /** Raw path and query, as received. */
  readonly path: string;
  readonly query: string;
  readonly headers: HeaderMap;
  /** Lower-cased and sorted. */
  readonly signedHeaders: readonly string[];
  /** Hex SHA-256 of the body. */
  readonly payloadHash: string;
  /** A query parameter left out of the canonical query (`X-Amz-Signature` of a presigned request). */
  readonly omitQueryParameter?: string | undefined;
}

/**
 * The canonical request (AWS: "Create a canonical request"):
 * method, canonical URI, canonical query, canonical headers, signed headers and payload hash, one per line.
 *
 * @example
 *   buildCanonicalRequest({ method: 'GET', path: '/', query: '', headers: { host: 'example.amazonaws.com' },
 *     signedHeaders: ['host'], payloadHash: EMPTY_BODY_SHA256 })
 *   // 'GET\n/\n\nhost:example.amazonaws.com\n\nhost\ne3b0c442...'
 */
export function buildCanonicalRequest(input: CanonicalRequestInput): string {
  return (
    `${input.method}\n${canonicalUri(input.path)}\n${canonicalQuery(input.query, input.omitQueryParameter)}\n` +
    `${canonicalHeaders(input.headers, input.signedHeaders)}\n${input.signedHeaders.join(';')}\n${input.payloadHash}`
  );
}

/** The credential scope: `YYYYMMDD/region/service/aws4_request`. */
export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/aws4_request`;
}

/** The string to sign (AWS: "Create a string to sign"). */
export function buildStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}
