/**
 * SigV4 timestamps: `YYYYMMDD'T'HHMMSS'Z'` (ISO 8601 basic format, UTC), as in X-Amz-Date, and the HTTP
 * `Date` header AWS falls back to when X-Amz-Date is absent.
 */

/** The digits at `text[start, start + count)` as a number, or -1 if any is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/**
 * Epoch milliseconds of an X-Amz-Date, or undefined unless it is exactly `YYYYMMDDTHHMMSSZ` and a real
 * moment (no 30 February, no hour 24).
 *
 * @example parseAmzDate('20150830T123600Z') === Date.UTC(2015, 7, 30, 12, 36, 0)
 */
export function parseAmzDate(text: string): number | undefined {
  if (text.length !== 16 || text[8] !== 'T' || text[15] !== 'Z') return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 4, 2);
  const day = digits(text, 6, 2);
  const hour = digits(text, 9, 2);
  const minute = digits(text, 11, 2);
  const second = digits(text, 13, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return undefined;
  }
  if (second < 0 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 April over into May: a day that changed month was not a real date.
  return new Date(ms).getUTCMonth() === month - 1 ? ms : undefined;
}

/**
 * Epoch milliseconds of an HTTP `Date` header (RFC 9110 IMF-fixdate, e.g. `Sun, 30 Aug 2015 12:36:00 GMT`),
 * or undefined.
 */
export function parseHttpDate(text: string): number | undefined {
  if (!text.endsWith(' GMT')) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The X-Amz-Date form of a moment (whole seconds, UTC).
 *
 * @example formatAmzDate(Date.UTC(2015, 7, 30, 12, 36, 0)) === '20150830T123600Z'
 */
export function formatAmzDate(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2015-08-30T12:36:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}
