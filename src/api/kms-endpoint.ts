import type { Authenticator } from '../auth/authenticator.js';
import { UnknownOperationException, UnsupportedOperationException } from '../errors.js';
import { AMZ_JSON_1_1, jsonResponse, parseJsonObjectBody } from './http/json-wire.js';
import { headerValue, type WireRequest, type WireResponse } from './http/wire-request.js';
import { runKmsOperation, type KmsCall, type KmsPipeline } from './kms-pipeline.js';
import type { Operation } from './operation.js';
import { KMS_OPERATIONS, UNSUPPORTED_OPERATIONS } from './operations/index.js';
import type { OutcomeDraft } from './request-outcome-builder.js';

const ACCEPTED_CONTENT_TYPES = new Set([AMZ_JSON_1_1, 'application/x-amz-json-1.0', 'application/json']);

/** The AWS KMS JSON 1.1 protocol: `POST /` with `X-Amz-Target: TrentService.<Operation>`. */
export async function handleKmsRequest(
  request: WireRequest,
  operationName: string,
  draft: OutcomeDraft,
  authenticator: Authenticator,
  pipeline: KmsPipeline,
): Promise<WireResponse> {
  draft.service = 'kms';
  draft.operation = operationName;
  const operation = findOperation(operationName);
  draft.readOnly = operation.readOnly;
  const contentType = headerValue(request, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (request.method !== 'POST' || !contentType || !ACCEPTED_CONTENT_TYPES.has(contentType)) {
    throw new UnknownOperationException('');
  }
  const { caller, region } = await authenticator.authenticate(request, 'kms');
  draft.caller = caller;
  draft.region = region;
  const call: KmsCall = {
    operation,
    body: parseJsonObjectBody(request.body),
    caller,
    region,
    requestId: draft.requestId,
    sourceIp: request.sourceIp,
    secureTransport: request.tls !== undefined,
    resources: draft.resources,
  };
  try {
    const output = await runKmsOperation(pipeline, call);
    draft.output = output;
    return jsonResponse(draft.requestId, output);
  } finally {
    draft.input = call.input;
  }
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

