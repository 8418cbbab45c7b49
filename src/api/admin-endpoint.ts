import { ADMINISTRATOR_ACCOUNT_SETTING } from '../store/store.js';
import type { VerificationReport } from '../audit/index.js';
import type { AuthorizationExplainer } from '../auth/authorization/explain-question.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import { AccessDeniedException, UnknownOperationException } from '../errors.js';
import type { ServiceDependencies } from '../service/services.js';
import type { AdminOperation } from './admin/admin-operation.js';
import { createAccountOperation } from './admin/create-account.js';
import { explainAuthorizationOperation } from './admin/explain-authorization.js';
import { listAccountsOperation } from './admin/list-accounts.js';
import { verifyAuditTrailOperation } from './admin/verify-audit-trail.js';
import { AMZ_JSON_1_1, jsonResponse, parseJsonObjectBody } from './http/json-wire.js';
import { headerValue, type WireRequest, type WireResponse } from './http/wire-request.js';
import { iamContextOf } from './query/query-context.js';
import { failingWith, type Answer, type RequestFacts } from './request-facts.js';

const ADMIN_TARGET_PREFIX = 'StrongroomAdmin.';
const ACCEPTED_CONTENT_TYPES = new Set([AMZ_JSON_1_1, 'application/x-amz-json-1.0', 'application/json']);
/** The setting under which the first start records the administrator's account (`server/first-start.ts`). */

/** The allow-list of admin operations: a target outside it is unknown, whatever the handler files hold. */
const ADMIN_OPERATIONS: ReadonlyMap<string, AdminOperation> = new Map(
  [createAccountOperation, listAccountsOperation, explainAuthorizationOperation, verifyAuditTrailOperation].map((operation) => [operation.name, operation]),
);

/** What the admin API works on besides the request. */
export interface AdminEndpointOptions {
  readonly deps: ServiceDependencies;
  /** The server's authorizer, for ExplainAuthorization. */
  readonly explainer?: AuthorizationExplainer;
  /** The node's audit trail verification, for VerifyAuditTrail. */
  readonly verifyAuditTrail?: () => Promise<VerificationReport>;
}

/** The admin operation an `X-Amz-Target` names (`StrongroomAdmin.<Operation>`), or undefined when not the admin API's. */
export function adminOperationOf(target: string | undefined): string | undefined {
  return target?.startsWith(ADMIN_TARGET_PREFIX) ? target.slice(ADMIN_TARGET_PREFIX.length) : undefined;
}

/**
 * The administrators' API: JSON 1.1 (`POST /`, `X-Amz-Target: StrongroomAdmin.<Operation>`), SigV4 with the
 * service name `strongroom`, errors as `{"__type","message"}`. Only the root principal of the server's
 * administrator account (made at first start) may call it; everyone else gets AccessDeniedException before
 * the body is even read. Its facts are recorded like any request's, without secrets.
 *
 * @example
 *   // curl --aws-sigv4 "aws:amz:us-east-1:strongroom" --user "$AK:$SK" -X POST http://127.0.0.1:4599/ \
 *   //   -H 'X-Amz-Target: StrongroomAdmin.ListAccounts' -H 'Content-Type: application/x-amz-json-1.1' -d '{}'
 */
export async function handleAdminRequest(
  request: WireRequest,
  operationName: string,
  opening: RequestFacts,
  authenticator: Authenticator,
  options: AdminEndpointOptions,
): Promise<Answer<WireResponse>> {
  const routed: RequestFacts = { ...opening, service: 'strongroom', operation: operationName };
  const operation = await failingWith(routed, () => {
    const found = ADMIN_OPERATIONS.get(operationName);
    if (found === undefined) throw new UnknownOperationException('');
    return found;
  });
  const named: RequestFacts = { ...routed, readOnly: operation.readOnly };
  const { caller, region } = await failingWith(named, () => {
    const contentType = headerValue(request, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (request.method !== 'POST' || !contentType || !ACCEPTED_CONTENT_TYPES.has(contentType)) {
      throw new UnknownOperationException('');
    }
    return authenticator.authenticate(request, 'strongroom');
  });
  const authenticated: RequestFacts = { ...named, caller, region };
  const { deps, explainer, verifyAuditTrail } = options;
  const body = await failingWith(authenticated, async () => {
    await assertAdministrator(deps, caller, operation.name);
    return parseJsonObjectBody(request.body);
  });
  const facts: RequestFacts = { ...authenticated, input: body };
  const result = await failingWith(facts, () =>
    operation.handle(body, {
      store: deps.store,
      iam: iamContextOf(deps),
      ...(explainer === undefined ? {} : { explainer }),
      ...(verifyAuditTrail === undefined ? {} : { verifyAuditTrail }),
    }),
  );
  return { response: jsonResponse(facts.requestId, result.output), facts, output: result.recordedOutput };
}

/**
 * Only the administrator account's root: not its IAM users or role sessions (no identity policy can grant
 * `strongroom:*`), and no principal of another account, root or not.
 */
async function assertAdministrator(deps: ServiceDependencies, caller: Caller, operationName: string): Promise<void> {
  const administratorAccount = await deps.store.settings.get(ADMINISTRATOR_ACCOUNT_SETTING);
  const isAdministrator = caller.type === 'Root' && administratorAccount !== undefined && caller.accountId === administratorAccount;
  if (!isAdministrator) {
    throw new AccessDeniedException(`User: ${caller.arn} is not authorized to perform: strongroom:${operationName}`);
  }
}
