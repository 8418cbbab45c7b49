import type { Authenticator } from '../auth/authenticator.js';
import { UnknownOperationException, UnsupportedOperationException } from '../errors.js';
import { AMZ_JSON_1_1, jsonResponse, parseJsonObjectBody } from './http/json-wire.js';
import { headerValue, type WireRequest, type WireResponse } from './http/wire-request.js';
import { runKmsOperation, type KmsPipeline } from './kms-pipeline.js';
import type { Operation } from './operation.js';
import { KMS_OPERATIONS, UNSUPPORTED_OPERATIONS } from './operations/index.js';
import { failingWith, type Answer, type RequestFacts } from './request-facts.js';

const ACCEPTED_CONTENT_TYPES = new Set([AMZ_JSON_1_1, 'application/x-amz-json-1.0', 'application/json']);

/** The AWS KMS JSON 1.1 protocol: `POST /` with `X-Amz-Target: TrentService.<Operation>`. */
export async function handleKmsRequest(
  request: WireRequest,
  operationName: string,
  opening: RequestFacts,
  authenticator: Authenticator,
  pipeline: KmsPipeline,
): Promise<Answer<WireResponse>> {
  const routed: RequestFacts = { ...opening, service: 'kms', operation: operationName };
  const declared = KMS_OPERATIONS.get(operationName) ?? UNSUPPORTED_OPERATIONS.get(operationName);
  const named: RequestFacts = { ...routed, readOnly: declared?.readOnly ?? false };
  const operation = await failingWith(named, () => findOperation(operationName));
  const { caller, region } = await failingWith(named, () => {
    const contentType = headerValue(request, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (request.method !== 'POST' || !contentType || !ACCEPTED_CONTENT_TYPES.has(contentType)) {
      throw new UnknownOperationException('');
    }
    return authenticator.authenticate(request, 'kms');
  });
  const authenticated = { ...named, caller, region };
  const body = await failingWith(authenticated, () => parseJsonObjectBody(request.body));
  const { facts, output } = await runKmsOperation(pipeline, operation, authenticated, body);
  return { response: jsonResponse(facts.requestId, output), facts, output };
}

/** An implemented operation; a named unsupported one is refused as such, any other name is unknown (as at AWS). */
function findOperation(name: string): Operation {
  const operation = KMS_OPERATIONS.get(name);
  if (operation) return operation;
  if (UNSUPPORTED_OPERATIONS.has(name)) {
    throw new UnsupportedOperationException(`${name} is not supported by Strongroom.`);
  }
  throw new UnknownOperationException('');
}

