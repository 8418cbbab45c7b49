import { AccessDeniedException } from '../../errors.js';
import type { KmsKey } from '../../keys/key.js';
import type { Caller } from '../caller.js';
import type { RequestTerms } from './request-terms.js';

/** One authorization question: may this caller perform this action (on this key)? */
export interface AuthorizationRequest {
  /** The request being authorized, for the log line of a denial; decides nothing. */
  readonly requestId?: string;
  readonly caller: Caller;
  /** The IAM action, e.g. `kms:Decrypt`. */
  readonly action: string;
  readonly key?: KmsKey;
  /** The alias the request named the key by (`alias/...`), for kms:RequestAlias. */
  readonly requestAlias?: string;
  /** What the request asks for (encryption context, algorithms, grant tokens, ...), as its operation states it. */
  readonly terms: RequestTerms;
  readonly sourceIp: string;
  readonly secureTransport: boolean;
}

export interface Authorizer {
  /** Resolves when allowed; throws `AccessDeniedException` (AWS's message) when not. */
  authorize(request: AuthorizationRequest): Promise<void> | void;
}

/**
 * The authorization rule before key policies are enforced: a principal may use every key of its own
 * account and none of another's; account-level actions are allowed.
 */
export const accountBoundaryAuthorizer: Authorizer = {
  authorize({ caller, action, key }) {
    if (key && key.accountId !== caller.accountId) {
      throw new AccessDeniedException(
        `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${key.arn} ` +
          `because no resource-based policy allows the ${action} action`,
      );
    }
  },
};
