import type { Authenticator } from '../../auth/authenticator.js';
import {
  IncompleteSignature, InvalidClientTokenId, KmsError, MissingAuthenticationToken, SignatureDoesNotMatch, ValidationException,
} from '../../errors.js';
import type { WireRequest, WireResponse } from '../http/wire-request.js';
import type { ServiceDependencies } from '../../service/services.js';
import { failingWith, RequestFailure, type Answer, type RequestFacts } from '../request-facts.js';
import { IAM_ACTIONS } from './iam-actions.js';
import type { QueryAction } from './query-action.js';
import { iamContextOf, type QueryContext } from './query-context.js';
import { xmlErrorResponse, xmlResponse } from './xml-wire.js';
import { STS_ACTIONS, STS_NAMESPACE } from './sts-actions.js';

const ACTIONS: ReadonlyMap<string, QueryAction> = new Map([...STS_ACTIONS, ...IAM_ACTIONS]);

export function queryParameters(request: WireRequest): URLSearchParams {
  return new URLSearchParams(request.method === 'GET' ? request.query : request.body.toString('utf8'));
}

/** AWS's query protocol (`Action=...&Version=...`, form-encoded, XML answers), used by STS and IAM. */
export async function handleQueryRequest(
  request: WireRequest,
  opening: RequestFacts,
  authenticator: Authenticator,
  deps: ServiceDependencies,
): Promise<Answer<WireResponse>> {
  const parameters = queryParameters(request);
  const actionName = parameters.get('Action') ?? '';
  const action = ACTIONS.get(actionName);
  const routed: RequestFacts = { ...opening, service: action?.service ?? 'sts', operation: actionName };
  if (!action) throw new RequestFailure(new ValidationException(`Unknown action ${actionName || '(none)'}`), routed);
  const named: RequestFacts = { ...routed, readOnly: action.readOnly };
  const identity = await failingWith(named, () => authenticator.authenticate(request, action.service));
  const facts: RequestFacts = { ...named, caller: identity.caller, region: identity.region };
  const context: QueryContext = { iam: iamContextOf(deps), sourceIp: request.sourceIp };
  const result = await failingWith(facts, () => action.handle(parameters, identity, context));
  // The answer may hold new credentials: the record keeps the request's facts only.
  return { response: xmlResponse(facts.requestId, actionName, action.namespace, result), facts, output: undefined };
}

/** Query-protocol services (STS, IAM) name authentication failures differently, all with status 403. */
const QUERY_AUTHENTICATION_ERRORS: Readonly<Record<string, new (message: string) => KmsError>> = {
  UnrecognizedClientException: InvalidClientTokenId,
  MissingAuthenticationTokenException: MissingAuthenticationToken,
  IncompleteSignatureException: IncompleteSignature,
  InvalidSignatureException: SignatureDoesNotMatch,
};

/** The XML error of a query-protocol request. */
export function queryErrorResponse(requestId: string, request: WireRequest, error: KmsError): WireResponse {
  const action = ACTIONS.get(queryParameters(request).get('Action') ?? '');
  const QueryError = Object.hasOwn(QUERY_AUTHENTICATION_ERRORS, error.type) ? QUERY_AUTHENTICATION_ERRORS[error.type] : undefined;
  const reported = QueryError ? new QueryError(error.message) : error;
  return xmlErrorResponse(requestId, action?.namespace ?? STS_NAMESPACE, reported);
}
