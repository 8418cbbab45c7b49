/** One page of a KMS list operation, as `collectPages` wants it. */
export interface ListedPage<T> {
  readonly items: readonly T[];
  /** The marker of the next page, when the answer was truncated. */
  readonly nextMarker?: string;
}

/**
 * Every item of a KMS list that pages with `Marker`/`NextMarker`, for the lists a key detail page shows whole
 * (a key's aliases, tags, grants and rotations: at most a few hundred for any key a person looks after). A limit
 * on the pages keeps a server that always answers "truncated" from holding the page forever.
 *
 * @example
 *   const aliases = await collectPages(async (marker) => { const page = await kms.send(...); return { items: ..., nextMarker: ... }; });
 */
export async function collectPages<T>(load: (marker: string | undefined) => Promise<ListedPage<T>>, maxPages = 100): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const listed = await load(marker);
    items.push(...listed.items);
    if (listed.nextMarker === undefined || listed.nextMarker === marker) return items;
    marker = listed.nextMarker;
  }
  return items;
}
