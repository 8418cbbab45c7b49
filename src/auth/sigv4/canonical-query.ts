import { normalizeEncodedComponent } from './uri-encoding.js';

function compareParameters(a: readonly [string, string], b: readonly [string, string]): number {
  // Canonical names and values are ASCII, so code-unit order is the byte order SigV4 sorts by.
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] === b[1]) return 0;
  return a[1] < b[1] ? -1 : 1;
}

/**
 * The canonical query string of SigV4, from the raw query string the client sent: every parameter's name
 * and value in canonical percent-encoding, sorted by name and then by value, joined as `name=value` with '&'.
 * A parameter without '=' has the empty value. `omitName` leaves one parameter out (a presigned request's
 * `X-Amz-Signature`).
 *
 * @example canonicalQuery('b=2&a=%7e&a=1') === 'a=1&a=~&b=2'
 */
export function canonicalQuery(rawQuery: string, omitName?: string): string {
  if (rawQuery === '') return '';
  const parameters: Array<[string, string]> = [];
  let start = 0;
  while (start <= rawQuery.length) {
    let end = rawQuery.indexOf('&', start);
    if (end === -1) end = rawQuery.length;
    if (end > start) {
      const equals = rawQuery.indexOf('=', start);
      const hasValue = equals !== -1 && equals < end;
      const name = normalizeEncodedComponent(rawQuery.slice(start, hasValue ? equals : end));
      if (name !== omitName) {
        parameters.push([name, hasValue ? normalizeEncodedComponent(rawQuery.slice(equals + 1, end)) : '']);
      }
    }
    start = end + 1;
  }
  if (parameters.length > 1) parameters.sort(compareParameters);
  return parameters.map(([name, value]) => `${name}=${value}`).join('&');
}
