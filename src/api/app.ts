import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { VerificationReport } from '../audit/index.js';
import type { AuthorizationExplainer } from '../auth/authorization/explain-question.js';
import type { Authenticator } from '../auth/authenticator.js';
import { INTERNAL_ERROR_MESSAGE, KMSInternalException, KmsError, UnknownOperationException } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { adminOperationOf, handleAdminRequest } from './admin-endpoint.js';
import { answerOperationalRequest, isOperationalRequest, type OperationalEndpoints } from './health-endpoints.js';
import { answerConsoleRequest, isConsoleRequest, type ConsoleAssets } from './console/console-endpoint.js';
import { jsonErrorResponse } from './http/json-wire.js';
import { headerValue, type WireRequest, type WireResponse } from './http/wire-request.js';
import { cloudTrailOperationOf, handleCloudTrailRequest, type CloudTrailLookup } from './cloudtrail-endpoint.js';
import { handleKmsRequest } from './kms-endpoint.js';
import type { KmsPipeline } from './kms-pipeline.js';
import type { OutcomeSink, RequestObserver, RequestOutcome } from './outcome.js';
import { handleQueryRequest, queryErrorResponse } from './query/query-endpoint.js';
import { handleResetRequest, isResetRequest, type DevelopmentReset } from './reset-endpoint.js';
import { openingFacts, outcomeOf, RequestFailure, type Answer, type RequestFacts } from './request-facts.js';
import { xksErrorResponse } from '../xks/proxy/xks-http.js';
import type { XksProxy } from '../xks/proxy/xks-proxy-endpoint.js';

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
  /** Answers the admin API's VerifyAuditTrail: the node's audit trail verification, when it records one. */
  readonly verifyAuditTrail?: () => Promise<VerificationReport>;
  /**
   * `/healthz`, `/readyz` and `/metrics` (health-endpoints.ts). Absent when they are served on a listener of their
   * own (`--metrics-port`): then they are unknown paths here, like any other.
   */
  readonly operational?: OperationalEndpoints;
  /** Told of every answered request, with its duration (`/metrics`); none: nothing is measured. */
  readonly observer?: RequestObserver;
  /** Development mode only: `POST /_strongroom/reset` and `POST /moto-api/reset` (reset-endpoint.ts); else unknown routes. */
  readonly developmentReset?: DevelopmentReset;
  /** The web console's built files, served at `/console/` (console/console-endpoint.ts); absent: those paths are unknown. */
  readonly console?: ConsoleAssets;
  /** `serve --xks-proxy`: the XKS proxy API under its URI prefix (src/xks/, docs/xks-proxy.md); else those paths are unknown. */
  readonly xksProxy?: XksProxy;
}

/** Which protocol a request speaks, and for the JSON protocols the operation its target names. */
type Route =
  | { readonly protocol: 'kms' | 'cloudtrail' | 'admin'; readonly operation: string }
  | { readonly protocol: 'query' | 'unknown' }
  | { readonly protocol: 'reset'; readonly development: DevelopmentReset }
  | { readonly protocol: 'xks'; readonly proxy: XksProxy };

/**
 * The API as a function from request to response, independent of node:http (tests call it in-process).
 * `/healthz` and `/readyz` are answered first (health-endpoints.ts). Otherwise it routes by protocol, turns
 * every failure into the AWS error of that protocol in one place, and records every request's outcome before
 * answering: a request whose outcome cannot be recorded is not answered with success.
 */
export class App {
  readonly #options: AppOptions;

  constructor(options: AppOptions) {
    this.#options = options;
  }

  async handle(request: WireRequest): Promise<WireResponse> {
    // Probes and scrapes are answered before any outcome exists: unauthenticated, never recorded in the trail or measured.
    const operational = this.#options.operational;
    if (operational && isOperationalRequest(request, operational)) return answerOperationalRequest(request, operational);
    // The console's static files: the page signs its own API calls, which come back through `POST /` below.
    if (this.#options.console && isConsoleRequest(request)) return answerConsoleRequest(request, this.#options.console);
    const { outcomes, log, now } = this.#options;
    const arrived = performance.now();
    const requestId = randomUUID();
    const opening = openingFacts(request, requestId, now());
    const development = this.#options.developmentReset;
    const route: Route = development && isResetRequest(request) ? { protocol: 'reset', development } : this.#routeOf(request);
    let response: WireResponse;
    let outcome: RequestOutcome;
    try {
      // Whatever another node committed before this request arrived is seen by it (Store.catchUp, ADR 0018).
      await this.#options.pipeline.deps.store.catchUp();
      const answer = await this.#dispatch(route, request, opening);
      response = answer.response;
      outcome = outcomeOf(answer.facts, { output: answer.output });
    } catch (thrown) {
      const facts = thrown instanceof RequestFailure ? thrown.facts : opening;
      const failure = this.#asKmsError(thrown instanceof RequestFailure ? thrown.cause : thrown, facts);
      response = this.#errorResponse(route, requestId, request, failure);
      outcome = outcomeOf(facts, { error: { type: failure.type, message: failure.message, status: failure.status } });
    }
    try {
      await outcomes.record(outcome);
    } catch (error) {
      log.error('outcome-not-recorded', { requestId, operation: outcome.operation, error: describe(error) });
      const internal = new KMSInternalException(INTERNAL_ERROR_MESSAGE);
      response = this.#errorResponse(route, requestId, request, internal);
      outcome = { ...outcome, error: { type: internal.type, message: internal.message, status: internal.status } };
    }
    this.#options.observer?.observe(outcome, (performance.now() - arrived) / 1000);
    return response;
  }

  #dispatch(route: Route, request: WireRequest, opening: RequestFacts): Promise<Answer<WireResponse>> {
    const { authenticator, pipeline, cloudTrail, explainer, verifyAuditTrail } = this.#options;
    switch (route.protocol) {
      case 'kms':
        return handleKmsRequest(request, route.operation, opening, authenticator, pipeline);
      case 'cloudtrail':
        return handleCloudTrailRequest(request, route.operation, opening, authenticator, cloudTrail);
      case 'admin':
        return handleAdminRequest(request, route.operation, opening, authenticator, {
          deps: pipeline.deps,
          ...(explainer === undefined ? {} : { explainer }),
          ...(verifyAuditTrail === undefined ? {} : { verifyAuditTrail }),
        });
      case 'query':
        return handleQueryRequest(request, opening, authenticator, pipeline.deps);
      case 'reset':
        return handleResetRequest(request, opening, authenticator, route.development);
      case 'xks':
        return route.proxy.handle(request, opening);
      case 'unknown':
        throw new UnknownOperationException('');
    }
  }

  #asKmsError(error: unknown, facts: RequestFacts): KmsError {
    if (error instanceof KmsError) return error;
    // Details go to the log only; the caller sees AWS's generic internal error.
    this.#options.log.error('request-failed', { requestId: facts.requestId, operation: facts.operation, error: describe(error) });
    return new KMSInternalException(INTERNAL_ERROR_MESSAGE);
  }

  #errorResponse(route: Route, requestId: string, request: WireRequest, error: KmsError): WireResponse {
    if (route.protocol === 'xks') return xksErrorResponse(requestId, error);
    return route.protocol === 'query'
      ? queryErrorResponse(requestId, request, error)
      : jsonErrorResponse(requestId, error);
  }

  /** The XKS proxy's paths are its own (with `--xks-proxy`); every other request is routed by its headers. */
  #routeOf(request: WireRequest): Route {
    const proxy = this.#options.xksProxy;
    return proxy?.answers(request) === true ? { protocol: 'xks', proxy } : routeOf(request);
  }
}

function routeOf(request: WireRequest): Route {
  const target = headerValue(request, 'x-amz-target');
  if (target?.startsWith(KMS_TARGET_PREFIX)) return { protocol: 'kms', operation: target.slice(KMS_TARGET_PREFIX.length) };
  const cloudTrailOperation = cloudTrailOperationOf(target);
  if (cloudTrailOperation !== undefined) return { protocol: 'cloudtrail', operation: cloudTrailOperation };
  const adminOperation = adminOperationOf(target);
  if (adminOperation !== undefined) return { protocol: 'admin', operation: adminOperation };
  if (target !== undefined) return { protocol: 'unknown' };
  const contentType = headerValue(request, 'content-type') ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded')) return { protocol: 'query' };
  if (request.method === 'GET' && request.query.includes('Action=')) return { protocol: 'query' };
  return { protocol: 'unknown' };
}

/** An error's name and stack for the log (never a request body: errors here carry no request data). */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
