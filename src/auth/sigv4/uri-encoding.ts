/**
 * SigV4's URI encoding (the `UriEncode` of the AWS documentation): RFC 3986 unreserved characters
 * (A-Z a-z 0-9 - . _ ~) stay as they are; every other byte of the UTF-8 form becomes %XX with upper-case hex.
 * Written as table lookups because it runs on every request's path and query.
 */

const HEX = '0123456789ABCDEF';

/** UNRESERVED[c] === 1 for the unreserved ASCII characters. */
const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') UNRESERVED[c.charCodeAt(0)] = 1;

function isUnreserved(code: number): boolean {
  return code < 128 && UNRESERVED[code] === 1;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

function percentByte(byte: number): string {
  return `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
}

function allUnreserved(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isUnreserved(text.charCodeAt(i))) return false;
  return true;
}

/**
 * Encodes `text` (decoded characters) as SigV4 requires.
 *
 * @example uriEncode('a b/ሴ') === 'a%20b%2F%E1%88%B4'
 */
export function uriEncode(text: string): string {
  if (allUnreserved(text)) return text;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += isUnreserved(byte) ? String.fromCharCode(byte) : percentByte(byte);
  }
  return out;
}

/**
 * Brings a component that arrived percent-encoded (a query name or value) into SigV4's canonical spelling
 * without decoding it to text first, so invalid UTF-8 or a stray '%' cannot make it fail: %XX of an
 * unreserved character is decoded, other %XX get upper-case hex, anything else not unreserved is encoded.
 * A '+' is a literal plus (%2B): SDKs encode spaces as %20.
 *
 * @example normalizeEncodedComponent('%7e%2fa+b') === '~%2Fa%2Bb'
 */
export function normalizeEncodedComponent(text: string): string {
  if (allUnreserved(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isUnreserved(code)) {
      out += text[i];
      i += 1;
      continue;
    }
    if (code === 37 /* % */ && i + 2 < text.length) {
      const high = hexValue(text.charCodeAt(i + 1));
      const low = hexValue(text.charCodeAt(i + 2));
      if (high !== -1 && low !== -1) {
        const byte = high * 16 + low;
        out += isUnreserved(byte) ? String.fromCharCode(byte) : percentByte(byte);
        i += 3;
        continue;
      }
    }
    const character = String.fromCodePoint(text.codePointAt(i) ?? code);
    out += uriEncode(character);
    i += character.length;
  }
  return out;
}
