import { LookupEventsCommand, type CloudTrailClient, type Event, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail';

/** What one lookup asks CloudTrail for: at most one attribute (an AWS rule), a time range, a page size. */
export interface AuditQuery {
  readonly attribute?: { readonly key: LookupAttributeKey; readonly value: string };
  /** Inclusive bounds; either may be open. */
  readonly startTime?: Date;
  readonly endTime?: Date;
  /** 1–50 (CloudTrail's bounds). */
  readonly maxResults: number;
}

/** One line of the audit table, with the record it came from for the detail view. */
export interface AuditEventRow {
  readonly eventId: string;
  readonly time?: Date;
  readonly eventName: string;
  /** The lookup's `Username`, else the caller's ARN from the record. */
  readonly user?: string;
  readonly resources: readonly string[];
  readonly sourceIp?: string;
  /** Present when the request failed (`AccessDeniedException`, `DisabledException`...). */
  readonly errorCode?: string;
  readonly readOnly: boolean;
  /** The whole CloudTrail record, pretty-printed. */
  readonly detail: string;
  /** The record's own fields the detail view names, when the record parsed. */
  readonly record?: Readonly<Record<string, unknown>>;
}

export interface AuditEventPage {
  readonly rows: readonly AuditEventRow[];
  /** The token of the next (older) page, when there is one. */
  readonly nextToken?: string;
}

/**
 * One page of the audit trail, newest first, through CloudTrail's LookupEvents (the server answers it from its own
 * trail, scoped to the caller's account).
 *
 * @example
 *   const page = await lookupAuditEvents(clients.cloudTrail, { attribute: { key: 'EventName', value: 'Encrypt' }, maxResults: 50 });
 */
export async function lookupAuditEvents(cloudTrail: CloudTrailClient, query: AuditQuery, nextToken?: string): Promise<AuditEventPage> {
  const { attribute, startTime, endTime, maxResults } = query;
  const answer = await cloudTrail.send(
    new LookupEventsCommand({
      MaxResults: maxResults,
      ...(attribute ? { LookupAttributes: [{ AttributeKey: attribute.key, AttributeValue: attribute.value }] } : {}),
      ...(startTime ? { StartTime: startTime } : {}),
      ...(endTime ? { EndTime: endTime } : {}),
      ...(nextToken ? { NextToken: nextToken } : {}),
    }),
  );
  return { rows: (answer.Events ?? []).map(auditEventRow), ...(answer.NextToken ? { nextToken: answer.NextToken } : {}) };
}

/** A LookupEvents `Event` as the table shows it; what only the record holds (source IP, error) is read from it. */
export function auditEventRow(event: Event): AuditEventRow {
  const record = parsedRecord(event.CloudTrailEvent);
  const identity = record?.['userIdentity'] as Record<string, unknown> | undefined;
  const user = event.Username ?? stringOf(identity?.['arn']);
  const sourceIp = stringOf(record?.['sourceIPAddress']);
  const errorCode = stringOf(record?.['errorCode']);
  return {
    eventId: event.EventId ?? '',
    ...(event.EventTime ? { time: event.EventTime } : {}),
    eventName: event.EventName ?? '',
    ...(user ? { user } : {}),
    resources: (event.Resources ?? []).map((resource) => resource.ResourceName ?? '').filter(Boolean),
    ...(sourceIp ? { sourceIp } : {}),
    ...(errorCode ? { errorCode } : {}),
    readOnly: event.ReadOnly === 'true',
    detail: record ? JSON.stringify(record, null, 2) : (event.CloudTrailEvent ?? ''),
    ...(record ? { record } : {}),
  };
}

function parsedRecord(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // shown as the server sent it
  }
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
