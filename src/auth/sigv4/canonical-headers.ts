import type { HeaderMap, HeaderValue } from './http-request.js';

function isFoldable(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10; // space, tab, CR, LF
}

/** True when `text` has no leading or trailing whitespace, no tab/CR/LF and no run of spaces. */
function alreadyCanonical(text: string): boolean {
  const last = text.length - 1;
  for (let i = 0; i <= last; i++) {
    const code = text.charCodeAt(i);
    if (code === 32) {
      if (i === 0 || i === last || text.charCodeAt(i + 1) === 32) return false;
    } else if (code === 9 || code === 13 || code === 10) {
      return false;
    }
  }
  return true;
}

/**
 * One header value trimmed, with every run of spaces, tabs and line breaks (folded lines) turned into one
 * space — what the AWS SDKs do before signing.
 *
 * @example trimAndFold('  "a   b \t c"  ') === '"a b c"'
 */
export function trimAndFold(text: string): string {
  if (alreadyCanonical(text)) return text;
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isFoldable(code)) {
      pendingSpace = out !== '';
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += text[i];
  }
  return out;
}

/** A header's canonical value: each value trimmed and folded, repeated values joined by ',' in order. */
export function canonicalHeaderValue(value: HeaderValue): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return trimAndFold(value);
  if (value.length === 1) return trimAndFold(value[0]!);
  return value.map(trimAndFold).join(',');
}

/**
 * The canonical headers block: `name:value\n` for each signed header, in the order given (the verifier
 * passes the sorted, lower-cased SignedHeaders list).
 */
export function canonicalHeaders(headers: HeaderMap, signedHeaders: readonly string[]): string {
  let block = '';
  for (const name of signedHeaders) block += `${name}:${canonicalHeaderValue(headers[name])}\n`;
  return block;
}
