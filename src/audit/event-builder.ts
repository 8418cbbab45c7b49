import {
  EVENT_VERSION,
  KMS_EVENT_SOURCE,
  KMS_KEY_RESOURCE_TYPE,
  formatEventTime,
  type AuditObject,
  type CloudTrailEvent,
  type TlsDetails,
  type UserIdentity,
} from './event.js';
import { toAuditParameters, toAuditResponse } from './redaction.js';

/** What the request pipeline knows about one answered (or refused) request. */
export interface ApiCallFacts {
  /** The KMS operation name (`Encrypt`); for a request that named no valid operation, the name it sent. */
  readonly operation: string;
  /** Whether the operation changes nothing (the operation's declaration says; CloudTrail's `readOnly`). */
  readonly readOnly: boolean;
  readonly identity: UserIdentity;
  /** Epoch milliseconds when the request was received. */
  readonly time: number;
  readonly region: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly requestId: string;
  readonly eventId: string;
  /** The account the event is delivered to (the key owner's, or the caller's when no key was resolved). */
  readonly recipientAccountId: string;
  /** The wire request; filtered through the allow-list. */
  readonly input?: unknown;
  /** The wire response of a successful request; filtered through the allow-list. */
  readonly output?: unknown;
  /** The AWS error name and message of a failed, denied, throttled or unauthenticated request. */
  readonly error?: { readonly code: string; readonly message: string };
  /** ARNs of the keys the request used (ReEncrypt: source, then destination). */
  readonly keyArns?: readonly string[];
  readonly tls?: TlsDetails;
  readonly additionalEventData?: AuditObject;
}

/**
 * Builds the CloudTrail record of an API call, applying the redaction allow-list to its request and response.
 *
 * @example
 *   const event = apiCallEvent({ operation: 'Encrypt', readOnly: true, identity, time: now(), region: 'us-east-1',
 *     sourceIp, userAgent, requestId, eventId: newEventId(), recipientAccountId: '111122223333',
 *     input: wireRequest, output: wireResponse, keyArns: [key.arn] });
 *   await auditLog.append(event);
 */
export function apiCallEvent(facts: ApiCallFacts): CloudTrailEvent {
  const keyArn = facts.keyArns?.[0];
  const failed = facts.error !== undefined;
  const event: CloudTrailEvent = {
    eventVersion: EVENT_VERSION,
    userIdentity: facts.identity,
    eventTime: formatEventTime(facts.time),
    eventSource: KMS_EVENT_SOURCE,
    eventName: facts.operation,
    awsRegion: facts.region,
    sourceIPAddress: facts.sourceIp,
    userAgent: facts.userAgent,
    ...(failed ? { errorCode: facts.error.code, errorMessage: facts.error.message } : {}),
    requestParameters: toAuditParameters(facts.operation, facts.input),
    responseElements: failed
      ? null
      : toAuditResponse(facts.operation, facts.output, keyArn === undefined ? {} : { keyArn }),
    ...(facts.additionalEventData === undefined ? {} : { additionalEventData: facts.additionalEventData }),
    requestID: facts.requestId,
    eventID: facts.eventId,
    readOnly: facts.readOnly,
    ...resourcesOf(facts.keyArns),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: facts.recipientAccountId,
    eventCategory: 'Management',
    ...(facts.tls === undefined ? {} : { tlsDetails: facts.tls }),
  };
  return event;
}

/** What a background job knows about the work it did on a key. */
export interface ServiceEventFacts {
  /** As AWS names them: `RotateKey`, `DeleteKey`, `DeleteExpiredKeyMaterial`, `DisableKey` ... */
  readonly eventName: string;
  readonly keyArn: string;
  readonly accountId: string;
  readonly region: string;
  readonly time: number;
  readonly eventId: string;
  /** E.g. `{ rotationType: 'AUTOMATIC', keyId }` for RotateKey. */
  readonly serviceEventDetails?: AuditObject;
  readonly additionalEventData?: AuditObject;
}

/**
 * Builds the record of work Strongroom did on its own (automatic rotation, deletion at the end of the waiting
 * period), as AWS records it: `eventType` AwsServiceEvent, `invokedBy` and source `AWS Internal`.
 *
 * @example
 *   serviceEvent({ eventName: 'RotateKey', keyArn, accountId, region, time: now(), eventId: newEventId(),
 *     serviceEventDetails: { rotationType: 'AUTOMATIC', keyId } });
 */
export function serviceEvent(facts: ServiceEventFacts): CloudTrailEvent {
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: { accountId: facts.accountId, invokedBy: 'AWS Internal' },
    eventTime: formatEventTime(facts.time),
    eventSource: KMS_EVENT_SOURCE,
    eventName: facts.eventName,
    awsRegion: facts.region,
    sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal',
    requestParameters: null,
    responseElements: null,
    ...(facts.additionalEventData === undefined ? {} : { additionalEventData: facts.additionalEventData }),
    eventID: facts.eventId,
    readOnly: false,
    resources: [{ accountId: facts.accountId, type: KMS_KEY_RESOURCE_TYPE, ARN: facts.keyArn }],
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: facts.accountId,
    ...(facts.serviceEventDetails === undefined ? {} : { serviceEventDetails: facts.serviceEventDetails }),
    eventCategory: 'Management',
  };
}

function resourcesOf(keyArns: readonly string[] | undefined): Pick<CloudTrailEvent, 'resources'> {
  if (keyArns === undefined || keyArns.length === 0) return {};
  return {
    resources: keyArns.map((arn) => ({ accountId: accountOfArn(arn), type: KMS_KEY_RESOURCE_TYPE, ARN: arn })),
  };
}

/** `arn:aws:kms:us-east-1:111122223333:key/...` → `111122223333`. */
function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}
