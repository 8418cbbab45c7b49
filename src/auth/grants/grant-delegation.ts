import type { GrantForEvaluation } from '../policy/index.js';
import type { RequestedGrant } from '../authorization/request-terms.js';

/**
 * Whether a grant allowing CreateGrant may be used to create `requested`: a grantee can hand on only what it
 * holds — the new grant's operations must all be the grant's, and its encryption context constraints at least
 * as strict (KMS Developer Guide, "Grant constraints" and "CreateGrant" in grant operations). Keys of a
 * constraint compare case-insensitively and values case-sensitively, as grant constraints do everywhere.
 */
export function coversRequestedGrant(grant: GrantForEvaluation, requested: RequestedGrant): boolean {
  if (!requested.operations.every((operation) => (grant.operations as readonly string[]).includes(operation))) return false;
  const { encryptionContextSubset: subset, encryptionContextEquals: equals } = grant.constraints ?? {};
  if (equals !== undefined) {
    // Only a grant with the very same exact context is as strict as an Equals constraint.
    return requested.encryptionContextEquals !== undefined && sameContext(requested.encryptionContextEquals, equals);
  }
  if (subset !== undefined) {
    const strictest = requested.encryptionContextEquals ?? requested.encryptionContextSubset;
    return strictest !== undefined && containsAll(strictest, subset);
  }
  return true;
}

function containsAll(context: Readonly<Record<string, string>>, required: Readonly<Record<string, string>>): boolean {
  const lowered = new Map(Object.entries(context).map(([key, value]) => [key.toLowerCase(), value]));
  return Object.entries(required).every(([key, value]) => lowered.get(key.toLowerCase()) === value);
}

function sameContext(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  return Object.keys(a).length === Object.keys(b).length && containsAll(a, b);
}
