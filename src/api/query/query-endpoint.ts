import type { Authenticator } from '../../auth/authenticator.js';
import { KmsError, ValidationException } from '../../errors.js';
import type { WireRequest, WireResponse } from '../http/wire-request.js';
import type { ServiceDependencies } from '../../service/services.js';
import type { OutcomeDraft } from '../request-outcome-builder.js';
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
  draft: OutcomeDraft,
  authenticator: Authenticator,
  deps: ServiceDependencies,
): Promise<WireResponse> {
  const parameters = queryParameters(request);
  const actionName = parameters.get('Action') ?? '';
  const action = ACTIONS.get(actionName);
  draft.service = action?.service ?? 'sts';
  draft.operation = actionName;
  if (!action) throw new ValidationException(`Unknown action ${actionName || '(none)'}`);
  draft.readOnly = action.readOnly;
  const identity = await authenticator.authenticate(request, action.service);
  draft.caller = identity.caller;
  draft.region = identity.region;
  const context: QueryContext = { iam: iamContextOf(deps), sourceIp: request.sourceIp };
  return xmlResponse(draft.requestId, actionName, action.namespace, await action.handle(parameters, identity, context));
}

/** Query-protocol services (STS, IAM) name authentication failures differently, all with status 403. */
const QUERY_AUTHENTICATION_CODES: Readonly<Record<string, string>> = {
  UnrecognizedClientException: 'InvalidClientTokenId',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
  InvalidSignatureException: 'SignatureDoesNotMatch',
};

/** The XML error of a query-protocol request. */
export function queryErrorResponse(requestId: string, request: WireRequest, error: KmsError): WireResponse {
  const action = ACTIONS.get(queryParameters(request).get('Action') ?? '');
  const code = QUERY_AUTHENTICATION_CODES[error.type];
  const reported = code ? new KmsError(code, error.message, 403) : error;
  return xmlErrorResponse(requestId, action?.namespace ?? STS_NAMESPACE, reported);
}
