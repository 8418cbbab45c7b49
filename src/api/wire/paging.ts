import { InvalidMarkerException } from '../../errors.js';
import { InvalidMarkerError, type Page, type PageRequest } from '../../store/store.js';

/**
 * Paging on the wire: `Limit` and `Marker` in, `NextMarker` and `Truncated` out, as every KMS List* operation
 * speaks it. Listings the store pages (keys, aliases) hand the store's marker through; listings of a key's
 * own small collections (tags, rotations, policy names) are paged here in memory.
 */

/** The documented default and largest page size of one listing (larger `Limit`s are served as the largest). */
export interface PageSize {
  readonly default: number;
  readonly max: number;
}

/** The page a request asks for: its `Limit` within the listing's bounds, and its `Marker` if any. */
export function pageRequest(input: { Limit?: number; Marker?: string }, size: PageSize): PageRequest {
  const limit = Math.min(input.Limit ?? size.default, size.max);
  return input.Marker !== undefined ? { limit, marker: input.Marker } : { limit };
}

/** The wire's paging members for a page: `Truncated` always, `NextMarker` only when more items follow. */
export function pagingMembers(page: Page<unknown>): { Truncated: boolean; NextMarker?: string } {
  return page.nextMarker !== undefined ? { Truncated: true, NextMarker: page.nextMarker } : { Truncated: false };
}

/** Runs a store listing, answering a marker the store did not issue with AWS's `InvalidMarkerException`. */
export async function listingWithMarkers<T>(list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (error) {
    if (error instanceof InvalidMarkerError) throw invalidMarker();
    throw error;
  }
}

/**
 * One page of an in-memory list. The marker names the listing and the offset to resume at, so a marker of
 * another listing or a tampered one is refused instead of starting somewhere arbitrary. Items are a key's own
 * small collection, read whole on every request, so an offset is stable enough between pages.
 *
 * @example
 *   const first = pageOfList('tags', tags, { limit: 2 });
 *   const second = pageOfList('tags', tags, { limit: 2, marker: first.nextMarker });
 */
export function pageOfList<T>(listing: string, items: readonly T[], request: PageRequest): Page<T> {
  const start = request.marker === undefined ? 0 : decodeOffset(listing, request.marker, items.length);
  const end = start + request.limit;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, nextMarker: encodeOffset(listing, end) } : { items: page };
}

function encodeOffset(listing: string, offset: number): string {
  return Buffer.from(JSON.stringify([listing, offset]), 'utf8').toString('base64url');
}

function decodeOffset(listing: string, marker: string, length: number): number {
  const bytes = Buffer.from(marker, 'base64url');
  if (bytes.toString('base64url') !== marker) throw invalidMarker();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalidMarker();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== listing) throw invalidMarker();
  const offset: unknown = parsed[1];
  // An offset past the end is what a marker becomes when items were removed between pages: an empty page.
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 1) throw invalidMarker();
  return Math.min(offset, length);
}

function invalidMarker(): InvalidMarkerException {
  return new InvalidMarkerException('Invalid marker');
}
