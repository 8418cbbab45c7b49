import type { LookupAttribute, LookupEventsQuery, LookupEventsResult } from '../audit/index.js';
import type { Authenticator } from '../auth/authenticator.js';
import {
  InvalidEventCategoryException, InvalidLookupAttributesException, SerializationException, UnknownOperationException,
  UnsupportedOperationException,
} from '../errors.js';
import { AMZ_JSON_1_1, jsonResponse, parseJsonObjectBody } from './http/json-wire.js';
import { headerValue, type WireRequest, type WireResponse } from './http/wire-request.js';
import { failingWith, type Answer, type RequestFacts } from './request-facts.js';

/**
 * The `X-Amz-Target` prefixes of CloudTrail's JSON 1.1 protocol: the model's `targetPrefix` (the AWS CLI) and
 * the service shape's name alone (the Smithy-generated JavaScript SDK v3 sends `CloudTrail_20131101.<Op>`).
 */
const CLOUDTRAIL_TARGET_PREFIXES = ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.', 'CloudTrail_20131101.'] as const;

/** The CloudTrail operation an `X-Amz-Target` names, or undefined when it is not CloudTrail's. */
export function cloudTrailOperationOf(target: string | undefined): string | undefined {
  const prefix = CLOUDTRAIL_TARGET_PREFIXES.find((candidate) => target?.startsWith(candidate));
  return prefix === undefined ? undefined : target?.slice(prefix.length);
}

/** LookupEvents over the audit trail; absent when the server runs without it. */
export type CloudTrailLookup = (query: LookupEventsQuery) => Promise<LookupEventsResult>;

/**
 * CloudTrail's `LookupEvents` (JSON 1.1, SigV4 service `cloudtrail`), so that `aws cloudtrail lookup-events
 * --endpoint-url ...` reads Strongroom's trail. Authorized as `cloudtrail:LookupEvents` is for now: any
 * authenticated principal, and it sees only events delivered to its own account.
 *
 * @example
 *   // POST / with X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents
 *   // {"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"Encrypt"}],"MaxResults":10}
 */
export async function handleCloudTrailRequest(
  request: WireRequest,
  operationName: string,
  opening: RequestFacts,
  authenticator: Authenticator,
  lookup: CloudTrailLookup | undefined,
): Promise<Answer<WireResponse>> {
  const routed: RequestFacts = { ...opening, service: 'cloudtrail', operation: operationName, readOnly: true };
  const { caller, region } = await failingWith(routed, () => {
    const contentType = headerValue(request, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (request.method !== 'POST' || (contentType !== AMZ_JSON_1_1 && contentType !== 'application/json')) {
      throw new UnknownOperationException('');
    }
    return authenticator.authenticate(request, 'cloudtrail');
  });
  const facts: RequestFacts = { ...routed, caller, region };
  const events = await failingWith(facts, () => lookUp(request, operationName, caller.accountId, lookup));
  // The events found are the trail's own records: the record of this lookup does not repeat them.
  return { response: jsonResponse(facts.requestId, events), facts, output: undefined };
}

async function lookUp(
  request: WireRequest,
  operationName: string,
  accountId: string,
  lookup: CloudTrailLookup | undefined,
): Promise<Record<string, unknown>> {
  if (operationName !== 'LookupEvents') {
    throw new UnsupportedOperationException(`${operationName} is not supported by Strongroom.`);
  }
  if (!lookup) throw new UnsupportedOperationException('The audit trail is off on this server.');
  const body = parseJsonObjectBody(request.body);
  if (body['EventCategory'] !== undefined) {
    if (body['EventCategory'] !== 'insight') throw new InvalidEventCategoryException('The event category is not valid.');
    return { Events: [] }; // Strongroom records no Insights events.
  }
  const result = await lookup({ accountId, ...queryOf(body) });
  return {
    Events: result.events,
    ...(result.nextToken !== undefined ? { NextToken: result.nextToken } : {}),
  };
}

/** The request's members, type-checked as the JSON protocol's deserializer would. */
function queryOf(body: Record<string, unknown>): Omit<LookupEventsQuery, 'accountId'> {
  const { LookupAttributes, StartTime, EndTime, MaxResults, NextToken } = body;
  return {
    ...(LookupAttributes !== undefined ? { lookupAttributes: attributesOf(LookupAttributes) } : {}),
    ...(StartTime !== undefined ? { startTime: timestampOf(StartTime, 'StartTime') } : {}),
    ...(EndTime !== undefined ? { endTime: timestampOf(EndTime, 'EndTime') } : {}),
    ...(MaxResults !== undefined ? { maxResults: numberOf(MaxResults, 'MaxResults') } : {}),
    ...(NextToken !== undefined ? { nextToken: stringOf(NextToken, 'NextToken') } : {}),
  };
}

function attributesOf(value: unknown): LookupAttribute[] {
  if (!Array.isArray(value)) throw new SerializationException('LookupAttributes must be a list.');
  return value.map((item: unknown) => {
    const { AttributeKey, AttributeValue } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof AttributeKey !== 'string' || typeof AttributeValue !== 'string') {
      throw new InvalidLookupAttributesException('A lookup attribute needs an AttributeKey and an AttributeValue.');
    }
    return { AttributeKey, AttributeValue };
  });
}

/** JSON 1.1 timestamps are epoch seconds (possibly fractional). */
function timestampOf(value: unknown, member: string): Date {
  const seconds = numberOf(value, member);
  return new Date(seconds * 1000);
}

function numberOf(value: unknown, member: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new SerializationException(`${member} must be a number.`);
  return value;
}

function stringOf(value: unknown, member: string): string {
  if (typeof value !== 'string') throw new SerializationException(`${member} must be a string.`);
  return value;
}

