/**
 * The audit event: one CloudTrail record per request (and per background action), with CloudTrail's exact
 * field names so that tools written for CloudTrail read Strongroom's trail unchanged.
 *
 * Field reference: the CloudTrail record contents of the CloudTrail User Guide, and the per-operation examples
 * of the AWS KMS Developer Guide ("Examples of AWS KMS log entries"). What goes into `requestParameters` and
 * `responseElements` is decided by the allow-list in `redaction-rules.ts`, never by the caller.
 */

import type { AuditObject } from './audit-value.js';

export type { AuditObject, AuditValue } from './audit-value.js';
export { toAuditParameters, toAuditResponse } from './redaction.js';

/** `userIdentity.type` values CloudTrail uses for the principals Strongroom knows. */
export type UserIdentityType =
  | 'Root'
  | 'IAMUser'
  | 'AssumedRole'
  | 'FederatedUser'
  | 'AWSAccount'
  | 'AWSService'
  | 'Unknown';

/** The role (or user) a temporary credential was issued from. */
export interface SessionIssuer {
  type: 'Role' | 'IAMUser' | 'Root';
  principalId: string;
  arn: string;
  accountId: string;
  userName: string;
}

/** Present for requests signed with temporary credentials (AssumeRole, GetSessionToken). */
export interface SessionContext {
  sessionIssuer?: SessionIssuer;
  attributes: {
    /** ISO-8601 time the credentials were issued, e.g. `2025-05-20T20:46:16Z`. */
    creationDate: string;
    mfaAuthenticated: 'true' | 'false';
  };
}

export interface UserIdentity {
  type?: UserIdentityType;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: SessionContext;
  /** `AWS Internal` for background work (rotation, deletion), as AWS records it. */
  invokedBy?: string;
}

/** A resource of the event; for KMS always the key (ReEncrypt names source then destination). */
export interface EventResource {
  accountId: string;
  type: 'AWS::KMS::Key';
  ARN: string;
}

/** Present when the request came over TLS. */
export interface TlsDetails {
  tlsVersion: string;
  cipherSuite: string;
  clientProvidedHostHeader: string;
}

export type EventType = 'AwsApiCall' | 'AwsServiceEvent';

/**
 * One CloudTrail record. Optional fields are omitted (not null) when absent, except `requestParameters` and
 * `responseElements`, which CloudTrail writes as `null`.
 *
 * @example
 *   const event: CloudTrailEvent = apiCallEvent({ operation: 'Encrypt', ... }); // see event-builder.ts
 */
export interface CloudTrailEvent {
  eventVersion: string;
  userIdentity: UserIdentity;
  /** ISO-8601 UTC with second precision, e.g. `2025-05-20T20:46:16Z`. */
  eventTime: string;
  eventSource: 'kms.amazonaws.com';
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: AuditObject | null;
  responseElements: AuditObject | null;
  additionalEventData?: AuditObject;
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  resources?: EventResource[];
  eventType: EventType;
  managementEvent: boolean;
  recipientAccountId: string;
  serviceEventDetails?: AuditObject;
  eventCategory: 'Management';
  tlsDetails?: TlsDetails;
}

/** The CloudTrail record version Strongroom writes (the version of AWS's current KMS examples). */
export const EVENT_VERSION = '1.11';

/** The `eventSource` of every KMS event. */
export const KMS_EVENT_SOURCE = 'kms.amazonaws.com';

/** The resource type KMS events name and LookupEvents filters by. */
export const KMS_KEY_RESOURCE_TYPE = 'AWS::KMS::Key';

/** Formats epoch milliseconds as CloudTrail's `eventTime` (second precision, `Z`). */
export function formatEventTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  // Every record of one second has the same time: format it once (this runs for every request).
  if (second !== lastFormatted.second) {
    lastFormatted = { second, text: new Date(second * 1000).toISOString().replace('.000Z', 'Z') };
  }
  return lastFormatted.text;
}

let lastFormatted = { second: Number.NaN, text: '' };

/** Parses an `eventTime` back to epoch milliseconds; throws on a malformed time. */
export function parseEventTime(eventTime: string): number {
  const ms = Date.parse(eventTime);
  if (!Number.isFinite(ms)) throw new Error('audit event has a malformed eventTime');
  return ms;
}
