import { ANY_SIGNED_SERVICE, type Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import { AccessDeniedException, UnknownOperationException } from '../errors.js';
import type { ClearedState } from '../store/store.js';
import { jsonResponse } from './http/json-wire.js';
import type { WireRequest, WireResponse } from './http/wire-request.js';
import { failingWith, type Answer, type RequestFacts } from './request-facts.js';

/** Strongroom's own reset: signed by the development account's root. */
const SIGNED_RESET_PATH = '/_strongroom/reset';
/** The route moto's server-mode test suites call, unsigned, before and after every test. */
const MOTO_RESET_PATH = '/moto-api/reset';

/** The name a reset is recorded under in the audit trail. */
export const RESET_OPERATION = 'ResetState';

/** What a reset did, as its answer says. */
export interface ResetReport {
  readonly cleared: ClearedState;
  /** Whether the server's seed file (`--seed`) was applied again. */
  readonly reseeded: boolean;
}

/** Development mode's reset, as the node wires it (`server/development-reset.ts`). */
export interface DevelopmentReset {
  /** The development account: its root alone may call the signed route. */
  readonly developmentAccountId: string;
  reset(): Promise<ResetReport>;
}

/** Whether the request is for one of the reset routes (asked only of a node in development mode). */
export function isResetRequest(request: WireRequest): boolean {
  return request.path === SIGNED_RESET_PATH || request.path === MOTO_RESET_PATH;
}

/**
 * Development mode's reset (docs/development-mode.md#resetting-state): `POST /_strongroom/reset`, SigV4-signed by
 * the development account's root for any service this server verifies (`strongroom`, `kms`, ...), and
 * `POST /moto-api/reset`, unsigned, as moto's clients send it. Anything but POST is an unknown request. Answers
 * `{"status":"ok","cleared":{...},"reseeded":...}` (moto reads only the status).
 *
 * The reset is recorded in the audit trail as the request's own record, `ResetState`, with the caller (none for
 * the unsigned route), source address and user agent. The trail records KMS events only, and a reset deletes
 * KMS keys, so its facts name the `kms` service.
 *
 * @example
 *   // curl --aws-sigv4 "aws:amz:us-east-1:strongroom" --user test:test -X POST http://127.0.0.1:4599/_strongroom/reset
 */
export async function handleResetRequest(
  request: WireRequest,
  opening: RequestFacts,
  authenticator: Authenticator,
  development: DevelopmentReset,
): Promise<Answer<WireResponse>> {
  // Another method is an unknown request, answered (and not recorded) as any other.
  await failingWith(opening, () => {
    if (request.method !== 'POST') throw new UnknownOperationException('');
  });
  const routed: RequestFacts = { ...opening, service: 'kms', operation: RESET_OPERATION, readOnly: false };
  let facts = routed;
  if (request.path === SIGNED_RESET_PATH) {
    const { caller, region } = await failingWith(routed, () => authenticator.authenticate(request, ANY_SIGNED_SERVICE));
    facts = { ...routed, caller, region };
    await failingWith(facts, () => assertDevelopmentRoot(caller, development.developmentAccountId));
  }
  const report = await failingWith(facts, () => development.reset());
  const output = { status: 'ok', cleared: report.cleared, reseeded: report.reseeded };
  return { response: jsonResponse(facts.requestId, output, 'application/json'), facts, output };
}

/** Only the development account's root: not another account's, and no IAM user or role session. */
function assertDevelopmentRoot(caller: Caller, developmentAccountId: string): void {
  if (caller.type !== 'Root' || caller.accountId !== developmentAccountId) {
    throw new AccessDeniedException(`User: ${caller.arn} is not authorized to perform: strongroom:${RESET_OPERATION}`);
  }
}
