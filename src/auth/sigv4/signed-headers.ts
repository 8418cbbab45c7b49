import { hostNotSigned, signedHeaderAbsent } from './failures.js';
import type { HeaderMap } from './http-request.js';

/**
 * The SignedHeaders list in canonical form: lower-cased and sorted (SDKs send it so already; a
 * differently spelled list names the same headers).
 */
export function parseSignedHeaders(list: string): string[] {
  const names = list.toLowerCase().split(';');
  for (let i = 1; i < names.length; i++) {
    if (names[i - 1]! > names[i]!) return names.sort();
  }
  return names;
}

/** AWS requires `host` to be signed, so a captured signature cannot be replayed at another endpoint. */
export function requireHostSigned(signedHeaders: readonly string[]): void {
  if (!signedHeaders.includes('host')) throw hostNotSigned();
}

/** Every signed header must be in the request: a signature over absent headers proves nothing about them. */
export function requireSignedHeadersPresent(signedHeaders: readonly string[], headers: HeaderMap): void {
  for (const name of signedHeaders) {
    if (headers[name] === undefined) throw signedHeaderAbsent(name);
  }
}
