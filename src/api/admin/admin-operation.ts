import type { VerificationReport } from '../../audit/index.js';
import type { AuthorizationExplainer } from '../../auth/authorization/explain-question.js';
import type { IamContext } from '../../service/identities/iam-context.js';
import type { Store } from '../../store/store.js';

/** The operations of the administrators' API (`X-Amz-Target: StrongroomAdmin.<Operation>`). */
export type AdminOperationName = 'CreateAccount' | 'ListAccounts' | 'ExplainAuthorization' | 'VerifyAuditTrail';

/** What an admin operation works on, passed in by the endpoint. */
export interface AdminContext {
  readonly store: Store;
  /** Accounts and their root credentials are made through identity management, as the CLI makes them. */
  readonly iam: IamContext;
  /** The server's own authorizer; absent on a server built without one (ExplainAuthorization then refuses). */
  readonly explainer?: AuthorizationExplainer;
  /** Verifies the server's audit trail; absent on a server without one (VerifyAuditTrail then refuses). */
  readonly verifyAuditTrail?: () => Promise<VerificationReport>;
}

/** An operation's answer, and what of it the request's outcome may record. */
export interface AdminResult {
  /** The response members, in wire vocabulary (Dates become epoch seconds on the wire). */
  readonly output: Readonly<Record<string, unknown>>;
  /** The output as the outcome records it: without secrets (a new account's secret access key). */
  readonly recordedOutput: Readonly<Record<string, unknown>>;
}

/**
 * One admin operation as a declaration: its name, whether it changes state, and a handler from the parsed
 * JSON body to the result. The endpoint does everything else once (protocol, SigV4, who may call, outcome).
 *
 * @example
 *   const listAccounts: AdminOperation = {
 *     name: 'ListAccounts', readOnly: true,
 *     async handle(_body, { store }) { ... return { output, recordedOutput: output }; },
 *   };
 */
export interface AdminOperation {
  readonly name: AdminOperationName;
  readonly readOnly: boolean;
  handle(body: Readonly<Record<string, unknown>>, context: AdminContext): Promise<AdminResult>;
}

/** A result with nothing secret in it: recorded as answered. */
export function publicResult(output: Readonly<Record<string, unknown>>): AdminResult {
  return { output, recordedOutput: output };
}
