import { randomUUID } from 'node:crypto';
import type { AuthorizationExplainer } from '../auth/authorization/explain-question.js';
import type { Authenticator } from '../auth/authenticator.js';
import { INTERNAL_ERROR_MESSAGE, KMSInternalException, KmsError, UnknownOperationException } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { adminOperationOf, handleAdminRequest } from './admin-endpoint.js';
import { jsonErrorResponse } from './http/json-wire.js';
import { headerValue, type WireRequest, type WireResponse } from './http/wire-request.js';
import { cloudTrailOperationOf, handleCloudTrailRequest, type CloudTrailLookup } from './cloudtrail-endpoint.js';
import { handleKmsRequest } from './kms-endpoint.js';
import type { KmsPipeline } from './kms-pipeline.js';
import type { OutcomeSink } from './outcome.js';
import { handleQueryRequest, queryErrorResponse } from './query/query-endpoint.js';
import { finishOutcome, startOutcome } from './request-outcome-builder.js';

const KMS_TARGET_PREFIX = 'TrentService.';

export interface AppOptions {
  readonly authenticator: Authenticator;
  readonly pipeline: KmsPipeline;
  readonly outcomes: OutcomeSink;
  readonly log: Logger;
  readonly now: () => number;
  /** CloudTrail LookupEvents over the audit trail; absent when the server runs without it. */
  readonly cloudTrail?: CloudTrailLookup;
  /** Answers the admin API's ExplainAuthorization: the authorizer the pipeline enforces, when it can explain. */
  readonly explainer?: AuthorizationExplainer;
}

type Protocol = 'kms' | 'cloudtrail' | 'admin' | 'query' | 'unknown';

/**
 * The API as a function from request to response, independent of node:http (tests call it in-process).
 * Routes by protocol, turns every failure into the AWS error of that protocol in one place, and records
 * every request's outcome before answering: a request whose outcome cannot be recorded is not answered
 * with success.
 */
export class App {
  readonly #options: AppOptions;

  constructor(options: AppOptions) {
    this.#options = options;
  }

  async handle(request: WireRequest): Promise<WireResponse> {
    const { authenticator, pipeline, outcomes, log, now } = this.#options;
    const requestId = randomUUID();
    const draft = startOutcome(request, requestId, now());
    const target = headerValue(request, 'x-amz-target');
    const protocol = protocolOf(request, target);
    let response: WireResponse;
    let failure: KmsError | undefined;
    try {
      if (protocol === 'kms') {
        response = await handleKmsRequest(request, target!.slice(KMS_TARGET_PREFIX.length), draft, authenticator, pipeline);
      } else if (protocol === 'cloudtrail') {
        response = await handleCloudTrailRequest(request, cloudTrailOperationOf(target)!, draft, authenticator, this.#options.cloudTrail);
      } else if (protocol === 'admin') {
        const { explainer } = this.#options;
        const admin = { deps: pipeline.deps, ...(explainer === undefined ? {} : { explainer }) };
        response = await handleAdminRequest(request, adminOperationOf(target)!, draft, authenticator, admin);
      } else if (protocol === 'query') {
        response = await handleQueryRequest(request, draft, authenticator, pipeline.deps);
      } else {
        throw new UnknownOperationException('');
      }
    } catch (error) {
      failure = this.#asKmsError(error, draft.operation);
      response = this.#errorResponse(protocol, requestId, request, failure);
    }
    try {
      await outcomes.record(
        finishOutcome(draft, failure && { type: failure.type, message: failure.message, status: failure.status }),
      );
    } catch (error) {
      log.error('outcome-not-recorded', { requestId, operation: draft.operation, error: describe(error) });
      response = this.#errorResponse(protocol, requestId, request, new KMSInternalException(INTERNAL_ERROR_MESSAGE));
    }
    return response;
  }

  #asKmsError(error: unknown, operation: string): KmsError {
    if (error instanceof KmsError) return error;
    // Details go to the log only; the caller sees AWS's generic internal error.
    this.#options.log.error('request-failed', { operation, error: describe(error) });
    return new KMSInternalException(INTERNAL_ERROR_MESSAGE);
  }

  #errorResponse(protocol: Protocol, requestId: string, request: WireRequest, error: KmsError): WireResponse {
    return protocol === 'query'
      ? queryErrorResponse(requestId, request, error)
      : jsonErrorResponse(requestId, error);
  }
}

function protocolOf(request: WireRequest, target: string | undefined): Protocol {
  if (target?.startsWith(KMS_TARGET_PREFIX)) return 'kms';
  if (cloudTrailOperationOf(target) !== undefined) return 'cloudtrail';
  if (adminOperationOf(target) !== undefined) return 'admin';
  const contentType = headerValue(request, 'content-type') ?? '';
  if (target === undefined && contentType.startsWith('application/x-www-form-urlencoded')) return 'query';
  if (target === undefined && request.method === 'GET' && request.query.includes('Action=')) return 'query';
  return 'unknown';
}

/** An error's name and stack for the log (never a request body: errors here carry no request data). */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
