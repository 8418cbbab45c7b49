import type { LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { Session } from './session';
import type { AuditQuery } from './audit-events';

/** `''` is "no attribute": every event of the time range. */
export type AuditAttributeChoice = LookupAttributeKey | '';

/**
 * The attributes the audit page offers, with their labels, as the AWS console offers them: LookupEvents takes
 * one attribute per call, so the page has one "attribute + value" pair rather than a field per attribute.
 */
export const AUDIT_ATTRIBUTE_CHOICES: readonly (readonly [AuditAttributeChoice, string])[] = [
  ['', 'Any event'],
  ['ResourceName', 'Key'],
  ['Username', 'User name'],
  ['EventName', 'Event name'],
  ['ReadOnly', 'Read-only'],
  ['AccessKeyId', 'Access key ID'],
  ['EventId', 'Event ID'],
];

/** What the filter form holds: text as typed, times as `datetime-local` values (local time, no zone). */
export interface AuditFilter {
  readonly attribute: AuditAttributeChoice;
  readonly value: string;
  readonly from: string;
  readonly to: string;
  readonly pageSize: number;
}

export const NO_FILTER: AuditFilter = { attribute: '', value: '', from: '', to: '', pageSize: 50 };

/** A filter the form cannot send, said in words for the form to show (the server is not asked). */
export class AuditFilterProblem extends Error {
  override readonly name = 'InvalidFilter';
}

/**
 * The LookupEvents query a filter asks. A key is looked up by its ARN (the resource name the trail records):
 * an alias is resolved with DescribeKey, a bare key id is completed with the session's region and account — not
 * looked up, so that the events of a deleted key can still be found.
 *
 * @example
 *   await auditQueryOf(filter, session, clients.kms); // { attribute: { key: 'ResourceName', value: 'arn:aws:kms:...' }, maxResults: 50 }
 */
export async function auditQueryOf(filter: AuditFilter, session: Session, kms: KMSClient): Promise<AuditQuery> {
  const startTime = localTime(filter.from, 'From');
  const endTime = localTime(filter.to, 'To');
  if (startTime && endTime && startTime > endTime) throw new AuditFilterProblem('The time range ends before it starts.');
  const value = filter.value.trim();
  if (filter.attribute !== '' && value === '') throw new AuditFilterProblem('Enter a value for the attribute, or choose "Any event".');
  const attributeValue = filter.attribute === 'ResourceName' ? await keyArnOf(value, session, kms) : value;
  return {
    ...(filter.attribute !== '' ? { attribute: { key: filter.attribute, value: attributeValue } } : {}),
    ...(startTime ? { startTime } : {}),
    ...(endTime ? { endTime } : {}),
    maxResults: filter.pageSize,
  };
}

/** A `datetime-local` value read as local time (as the user sees their clock); empty is an open bound. */
function localTime(text: string, label: string): Date | undefined {
  if (!text) return undefined;
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new AuditFilterProblem(`"${label}" is not a date and time.`);
  return time;
}

async function keyArnOf(text: string, session: Session, kms: KMSClient): Promise<string> {
  if (text.startsWith('arn:')) return text;
  if (text.startsWith('alias/')) {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: text }));
    if (KeyMetadata?.Arn) return KeyMetadata.Arn;
  }
  return `arn:aws:kms:${session.region}:${session.accountId}:key/${text}`;
}
