import { InvalidMarkerError, type Page, type PageRequest } from '../store.js';

/** The listings that issue markers; a marker of one listing is refused by another. */
export type MarkerKind = 'keys' | 'aliases' | 'custom-key-stores';

/**
 * Page markers: opaque to callers, they carry the listing's kind and the sort key of the last item
 * returned, as base64url of `[kind, lastSortKey]`. Keyset paging ("items after this key") stays stable
 * while other requests add or remove items, unlike offsets.
 *
 * Decoding is strict — canonical base64url, exact JSON shape, matching kind — so a marker the store did not
 * issue fails with `InvalidMarkerError` (AWS's `InvalidMarkerException`) rather than starting a listing
 * somewhere arbitrary.
 *
 * @example
 *   const marker = encodeMarker('keys', lastKey.id);
 *   decodeMarker('keys', marker); // → lastKey.id
 */
export function encodeMarker(kind: MarkerKind, lastSortKey: string): string {
  return Buffer.from(JSON.stringify([kind, lastSortKey]), 'utf8').toString('base64url');
}

/** The sort key a marker of `kind` resumes after; throws `InvalidMarkerError` for anything else. */
export function decodeMarker(kind: MarkerKind, marker: string): string {
  const bytes = Buffer.from(marker, 'base64url');
  if (marker.length === 0 || bytes.toString('base64url') !== marker) throw new InvalidMarkerError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InvalidMarkerError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidMarkerError();
  const [markerKind, lastSortKey] = parsed as unknown[];
  if (markerKind !== kind || typeof lastSortKey !== 'string') throw new InvalidMarkerError();
  return lastSortKey;
}

/**
 * The sort key to list after: `''` (before every non-empty key) when there is no marker. Also checks the
 * limit, since a zero or fractional limit is a caller's bug, not a request to answer.
 */
export function startAfter(kind: MarkerKind, page: PageRequest): string {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1) {
    throw new RangeError(`page limit must be a positive integer, got ${page.limit}`);
  }
  return page.marker === undefined ? '' : decodeMarker(kind, page.marker);
}

/**
 * Builds a page from up to `limit + 1` rows fetched in order: the extra row only tells that more follow.
 */
export function toPage<T>(kind: MarkerKind, rows: T[], limit: number, sortKey: (item: T) => string): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  if (last === undefined) return { items };
  return { items, nextMarker: encodeMarker(kind, sortKey(last)) };
}
