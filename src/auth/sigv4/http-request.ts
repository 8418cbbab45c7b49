/**
 * The request as SigV4 verification sees it: the wire form, before any decoding, so the canonical request is
 * computed from exactly what the client sent.
 */

/** A header as node:http gives it: `headersDistinct` yields arrays, `headers` strings; absent is undefined. */
export type HeaderValue = string | readonly string[] | undefined;

/** Header names lower-cased (as node:http gives them); repeated headers as arrays, in the order received. */
export type HeaderMap = Readonly<Record<string, HeaderValue>>;

/**
 * A request to verify. Pass node's `incoming.headersDistinct`: `incoming.headers` joins repeated headers
 * with ', ' where SigV4 joins them with ','.
 *
 * @example
 *   const queryStart = url.indexOf('?');
 *   const request: HttpRequestToVerify = {
 *     method: incoming.method, path: url.slice(0, queryStart), query: url.slice(queryStart + 1),
 *     headers: incoming.headersDistinct, body,
 *   };
 */
export interface HttpRequestToVerify {
  readonly method: string;
  /** The raw request target path as received, before the '?' (e.g. '/'); not decoded. */
  readonly path: string;
  /** The raw query string after '?', '' if none; not decoded. */
  readonly query: string;
  readonly headers: HeaderMap;
  readonly body: Buffer;
}

/**
 * A header's value as one string (repeated values joined by ',', as HTTP allows), or undefined when absent.
 * For headers the verifier reads itself (authorization, x-amz-date, ...), not for canonicalisation.
 */
export function headerText(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined || typeof value === 'string') return value;
  if (value.length === 1) return value[0];
  return value.length === 0 ? undefined : value.join(',');
}
