import type { AuditDatabase } from './audit-database.js';
import { indexHint, rows as rowsOf, type SqlPlan, type SqlValue } from '../store/audit-store.js';
import { runSqlitePlan } from './sqlite-plan-runner.js';
import { InvalidLookupAttributesException, InvalidMaxResultsException, InvalidTimeRangeException } from '../errors.js';
import { decodeNextToken, encodeNextToken, queryFingerprint } from './next-token.js';

export { keyLastUsage, keyLastUsagePlan, trackingStartTime, trackingStartTimePlan, type KeyLastUsage } from './key-last-usage.js';

/** CloudTrail's LookupAttributeKey values, verbatim. */
export const LOOKUP_ATTRIBUTE_KEYS = [
  'EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId',
] as const;
export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

export interface LookupAttribute {
  readonly AttributeKey: string;
  readonly AttributeValue: string;
}

export interface LookupEventsQuery {
  /** The caller's account: only events delivered to it (`recipientAccountId`) are visible. */
  readonly accountId: string;
  /** At most one (as AWS). */
  readonly lookupAttributes?: readonly LookupAttribute[];
  /** Inclusive bounds. */
  readonly startTime?: Date;
  readonly endTime?: Date;
  /** 1–50, default 50. */
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/** CloudTrail's `Event` response element. `EventTime` is epoch seconds, as on the wire. */
export interface CloudTrailLookupEvent {
  EventId: string;
  EventName: string;
  ReadOnly: string;
  AccessKeyId?: string;
  EventTime: number;
  EventSource: string;
  Username?: string;
  Resources: { ResourceType: string; ResourceName: string }[];
  /** The whole record, as a JSON string. */
  CloudTrailEvent: string;
}

export interface LookupEventsResult {
  events: CloudTrailLookupEvent[];
  nextToken?: string;
}

/**
 * Where each attribute lives. A resource name is selective: its index drives the scan (an event names a
 * resource once). A resource type matches nearly every KMS event (and ReEncrypt twice): the time index drives
 * the scan and an EXISTS test filters, so no event is returned twice.
 */
const RECORD_CONDITIONS: Record<Exclude<LookupAttributeKey, 'ResourceName'>, string> = {
  EventId: 'e.event_id = ?', EventName: 'e.event_name = ?', ReadOnly: 'e.read_only = ?', Username: 'e.username = ?',
  EventSource: 'e.event_source = ?', AccessKeyId: 'e.access_key_id = ?',
  ResourceType: 'EXISTS (SELECT 1 FROM audit_resources t WHERE t.record_id = e.id AND t.resource_type = ?)',
};

/**
 * The index each attribute's lookup walks on SQLite, named rather than left to its planner: without statistics it
 * preferred the time index (account, time range, already in order) for every attribute, so that a lookup by
 * EventId or Username read every record of the account in the time range (seen with EXPLAIN QUERY PLAN).
 */
const RECORD_INDEXES: Partial<Record<LookupAttributeKey, string>> = {
  EventId: 'audit_records_event_id', EventName: 'audit_records_event_name', Username: 'audit_records_username',
  AccessKeyId: 'audit_records_access_key',
};

interface Row {
  id: number; event_time: number; event_json: string; event_id: string; event_name: string; read_only: string;
  access_key_id: string | null; event_source: string; username: string | null;
}

/**
 * CloudTrail's LookupEvents over a SQLite audit database (`lookupEventsPlan`, run on this connection).
 *
 * @example
 *   const page = lookupEvents(db, { accountId: '111122223333',
 *     lookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: keyArn }], maxResults: 10 });
 */
export function lookupEvents(db: AuditDatabase, query: LookupEventsQuery): LookupEventsResult {
  return runSqlitePlan(db, lookupEventsPlan(query));
}

/**
 * CloudTrail's LookupEvents over the audit trail, on any audit store: newest first, filtered by one lookup
 * attribute and a time range, scoped to the caller's account, paged with NextToken. Every filter is served by an
 * index. Invalid input throws CloudTrail's Invalid*Exception before any statement runs.
 *
 * @example
 *   const page = await auditStore.run(lookupEventsPlan({ accountId: '111122223333', maxResults: 10 }));
 */
export function lookupEventsPlan(query: LookupEventsQuery): SqlPlan<LookupEventsResult> {
  // Validated now, not when the plan first runs: a caller's error is thrown where it called.
  const attribute = validAttribute(query.lookupAttributes);
  const startMs = query.startTime?.getTime() ?? 0;
  const endMs = query.endTime?.getTime() ?? Number.MAX_SAFE_INTEGER;
  if (startMs > endMs) throw new InvalidTimeRangeException();
  const maxResults = query.maxResults ?? 50;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) throw new InvalidMaxResultsException();
  const fingerprint = queryFingerprint([query.accountId, attribute?.AttributeKey ?? '', attribute?.AttributeValue ?? '', startMs, endMs]);
  const cursor = query.nextToken === undefined ? undefined : decodeNextToken(query.nextToken, fingerprint);
  return lookupPage({ accountId: query.accountId, attribute, startMs, endMs, maxResults, fingerprint, cursor });
}

interface ValidLookup {
  readonly accountId: string;
  readonly attribute: { AttributeKey: LookupAttributeKey; AttributeValue: string } | undefined;
  readonly startMs: number;
  readonly endMs: number;
  readonly maxResults: number;
  readonly fingerprint: string;
  readonly cursor: { time: number; id: number } | undefined;
}

function* lookupPage(lookup: ValidLookup): SqlPlan<LookupEventsResult> {
  const { attribute, startMs, endMs, maxResults, fingerprint, cursor } = lookup;
  // With a resource name the resource index drives the scan; its event_time and record_id mirror the record's.
  const byResourceName = attribute?.AttributeKey === 'ResourceName';
  const time = byResourceName ? 'r.event_time' : 'e.event_time';
  const id = byResourceName ? 'r.record_id' : 'e.id';
  const conditions = ['e.account_id = ?', `${time} >= ?`, `${time} <= ?`];
  const parameters: SqlValue[] = [lookup.accountId, startMs, endMs];
  if (attribute !== undefined) {
    conditions.push(attribute.AttributeKey === 'ResourceName' ? 'r.resource_name = ?' : RECORD_CONDITIONS[attribute.AttributeKey]);
    parameters.push(attribute.AttributeValue);
  }
  if (cursor !== undefined) {
    conditions.push(`(${time} < ? OR (${time} = ? AND ${id} < ?))`);
    parameters.push(cursor.time, cursor.time, cursor.id);
  }
  const index = attribute === undefined ? undefined : RECORD_INDEXES[attribute.AttributeKey];
  const from = byResourceName
    ? 'audit_resources r JOIN audit_records e ON e.id = r.record_id'
    : `audit_records e${index === undefined ? '' : indexHint(index)}`;
  const rows = yield* rowsOf<Row>(
    `SELECT e.id, e.event_time, e.event_json, e.event_id, e.event_name, e.read_only, e.access_key_id, e.event_source,
       e.username FROM ${from} WHERE ${conditions.join(' AND ')} ORDER BY ${time} DESC, ${id} DESC LIMIT ?`,
    ...parameters, maxResults + 1,
  );

  const page = rows.slice(0, maxResults);
  const last = page[page.length - 1];
  const result: LookupEventsResult = { events: page.map(toLookupEvent) };
  if (rows.length > maxResults && last !== undefined) {
    result.nextToken = encodeNextToken({ time: last.event_time, id: last.id }, fingerprint);
  }
  return result;
}

function validAttribute(attributes: readonly LookupAttribute[] | undefined): { AttributeKey: LookupAttributeKey; AttributeValue: string } | undefined {
  if (attributes === undefined || attributes.length === 0) return undefined;
  if (attributes.length > 1) throw new InvalidLookupAttributesException('You cannot specify more than one lookup attribute.');
  const [attribute] = attributes;
  if (attribute === undefined || !(LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(attribute.AttributeKey)) {
    throw new InvalidLookupAttributesException('The lookup attribute key is not valid.');
  }
  if (typeof attribute.AttributeValue !== 'string' || attribute.AttributeValue.length === 0 || attribute.AttributeValue.length > 2000) {
    throw new InvalidLookupAttributesException('The lookup attribute value must be 1 to 2000 characters long.');
  }
  return { AttributeKey: attribute.AttributeKey as LookupAttributeKey, AttributeValue: attribute.AttributeValue };
}

function toLookupEvent(row: Row): CloudTrailLookupEvent {
  const event = JSON.parse(row.event_json) as { resources?: { type?: string; ARN: string }[] };
  const lookupEvent: CloudTrailLookupEvent = {
    EventId: row.event_id,
    EventName: row.event_name,
    ReadOnly: row.read_only,
    EventTime: Math.floor(row.event_time / 1000),
    EventSource: row.event_source,
    Resources: (event.resources ?? []).map((resource) => ({
      ResourceType: resource.type ?? 'AWS::KMS::Key',
      ResourceName: resource.ARN,
    })),
    CloudTrailEvent: row.event_json,
  };
  if (row.access_key_id !== null) lookupEvent.AccessKeyId = row.access_key_id;
  if (row.username !== null) lookupEvent.Username = row.username;
  return lookupEvent;
}
