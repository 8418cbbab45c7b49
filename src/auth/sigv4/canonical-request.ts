import { createHash } from 'node:crypto';

/**
 * The canonical request of AWS Signature Version 4 (the "Create a canonical request" step of the AWS
 * documentation), built from a request as the server received it.
 */
export interface RequestToCanonicalize {
  readonly method: string;
  /** The raw path before '?', as received (percent-encoded by the client). */
  readonly path: string;
  /** The raw query string after '?', '' if none. */
  readonly query: string;
  /** Lower-cased header names; repeated headers as arrays (in the order received). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** RFC 3986 unreserved characters stay; everything else is %XX (upper-case hex), as SigV4 requires. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return text;
  }
}

/**
 * The canonical URI: dot segments removed and empty segments collapsed, then every segment encoded.
 * AWS services other than S3 encode the path the client sent once more ("double encoding"); with
 * `doubleEncode: false` the received segments are decoded first (what the AWS test suite's requests show).
 */
export function canonicalUri(path: string, doubleEncode = true): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailingSlash = segments.length > 0 && /\/\.{0,2}$/.test(path);
  const encoded = segments.map((segment) => uriEncode(doubleEncode ? segment : decodeComponent(segment)));
  return `/${encoded.join('/')}${trailingSlash ? '/' : ''}`;
}

/** The canonical query string: parameters decoded, re-encoded, sorted by name then value. */
export function canonicalQuery(query: string, omit?: string): string {
  if (query === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = uriEncode(decodeComponent(equals === -1 ? part : part.slice(0, equals)));
    if (name === omit) continue;
    pairs.push([name, uriEncode(decodeComponent(equals === -1 ? '' : part.slice(equals + 1)))]);
  }
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** A header's canonical value: each value trimmed with inner runs of spaces folded, repeats joined by ','. */
export function canonicalHeaderValue(value: string | readonly string[] | undefined): string {
  const values = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The canonical request text for the given signed headers (lower-case, sorted) and payload hash. */
export function buildCanonicalRequest(
  request: RequestToCanonicalize,
  signedHeaders: readonly string[],
  payloadHash: string,
  options: { doubleEncodePath?: boolean; omitQueryParameter?: string } = {},
): string {
  const headerLines = signedHeaders.map((name) => `${name}:${canonicalHeaderValue(request.headers[name])}\n`).join('');
  return [
    request.method.toUpperCase(),
    canonicalUri(request.path, options.doubleEncodePath ?? true),
    canonicalQuery(request.query, options.omitQueryParameter),
    headerLines,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function buildStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}
