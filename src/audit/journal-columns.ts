import type { IndexColumns } from './audit-database.js';

/*
 * A record's lookup columns as its journal line carries them, between its hashes and its event JSON (journal.ts):
 * a JSON array, then a tab. The writer has the event at hand when it appends, so the columns cost it about a
 * microsecond; without them the indexing thread parsed each kilobyte of event JSON again to find them, the
 * largest single part of indexing's cost (issue #19, ADR 0028).
 *
 * The hash covers the event JSON only, as it covers audit.db's columns nowhere: `audit verify` recomputes the
 * columns from the event and reports a record whose columns disagree, whether they were edited in the journal or
 * in the database. A line whose columns do not decode is indexed from its event JSON, as a line without them is.
 */

/** JSON.stringify escapes every control character: a tab can end the columns and never occur inside either part. */
export const COLUMNS_END = 0x09;

type Encoded = [
  eventTime: number, eventId: string, eventName: string, readOnly: 'true' | 'false', username: string | null,
  accessKeyId: string | null, eventSource: string, accountId: string, errorCode: string | null,
  resources: [type: string, name: string][],
];

/** The columns as a journal line writes them (without the tab). */
export function encodeJournalColumns(c: IndexColumns): string {
  const encoded: Encoded = [
    c.eventTime, c.eventId, c.eventName, c.readOnly, c.username, c.accessKeyId, c.eventSource, c.accountId, c.errorCode,
    c.resources.map((resource) => [resource.type, resource.name]),
  ];
  return JSON.stringify(encoded);
}

/** The columns of a journal line, or undefined when `text` is not what encodeJournalColumns writes. */
export function decodeJournalColumns(text: string): IndexColumns | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 10) return undefined;
  const [eventTime, eventId, eventName, readOnly, username, accessKeyId, eventSource, accountId, errorCode, resources] = value as unknown[];
  const isText = (item: unknown): item is string => typeof item === 'string';
  const isOptionalText = (item: unknown): item is string | null => item === null || typeof item === 'string';
  if (!Number.isSafeInteger(eventTime) || !isText(eventId) || !isText(eventName) || (readOnly !== 'true' && readOnly !== 'false') ||
    !isOptionalText(username) || !isOptionalText(accessKeyId) || !isText(eventSource) || !isText(accountId) || !isOptionalText(errorCode) ||
    !Array.isArray(resources) || !resources.every((r) => Array.isArray(r) && r.length === 2 && isText(r[0]) && isText(r[1]))) {
    return undefined;
  }
  return {
    eventTime: eventTime as number, eventId, eventName, readOnly, username, accessKeyId, eventSource, accountId, errorCode,
    resources: (resources as [string, string][]).map(([type, name]) => ({ type, name })),
  };
}
