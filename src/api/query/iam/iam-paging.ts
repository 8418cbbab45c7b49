import { optionalInteger } from '../../../service/identities/iam-names.js';
import { validationError } from '../../../errors.js';
import type { XmlValue } from '../xml-wire.js';

/**
 * IAM's `Marker`/`MaxItems` paging over a list already in its final order: `MaxItems` 1–1000 (default
 * 100); the marker is the opaque position of the next item. Returns the result members `IsTruncated` and,
 * when truncated, `Marker`, beside the page under `listName`.
 *
 * @example
 *   return pageOf(parameters, 'Users', users.map(userXml));
 */
export function pageOf(parameters: URLSearchParams, listName: string, items: readonly XmlValue[]): Record<string, XmlValue> {
  const maxItems = optionalInteger('maxItems', parameters.get('MaxItems') ?? undefined, 1, 1000) ?? 100;
  const marker = parameters.get('Marker') ?? undefined;
  const start = marker === undefined ? 0 : positionOf(marker);
  if (start > items.length) throw validationError('marker', marker, 'Member must be a marker this API returned');
  const page = items.slice(start, start + maxItems);
  const next = start + page.length;
  const truncated = next < items.length;
  return {
    [listName]: page,
    IsTruncated: truncated,
    ...(truncated ? { Marker: Buffer.from(`position:${next}`, 'utf8').toString('base64') } : {}),
  };
}

function positionOf(marker: string): number {
  const match = /^position:(\d{1,9})$/.exec(Buffer.from(marker, 'base64').toString('utf8'));
  if (match === null) throw validationError('marker', marker, 'Member must be a marker this API returned');
  return Number(match[1]);
}
