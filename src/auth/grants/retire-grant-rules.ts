import type { Grant } from '../../store/store.js';
import type { Decision, DecisionEffect, NamedPolicy, RequestContext } from '../policy/index.js';
import { evaluateIdentityOnly } from '../policy/index.js';
import { isGrantee, isRetiringPrincipal } from './key-grants.js';

/**
 * Who may retire a grant (KMS Developer Guide, "Retiring and revoking grants"): the grant decides, not the
 * key policy. Allowed: the grant's retiring principal; its grantee when the grant lists RetireGrant; and
 * principals of the account that created the grant — or of an account named as retiring principal — whose
 * identity policies allow kms:RetireGrant (that account's root user always). An explicit Deny of
 * kms:RetireGrant in the caller's identity policies refuses in every case.
 */
export function decideRetireGrant(grant: Grant, identityPolicies: readonly NamedPolicy[], request: RequestContext): Decision {
  const identity = evaluateIdentityOnly({ identityPolicies, request });
  if (identity.effect === 'ExplicitDeny') return identity;
  const { principal } = request;
  const source = `grant:${grant.grantId}` as const;
  if (isRetiringPrincipal(grant, principal)) return allow(source, identity);
  if (isGrantee(grant, principal) && grant.operations.includes('RetireGrant')) return allow(source, identity);
  const accountRoot = `arn:aws:iam::${principal.accountId}:root`;
  const delegatedAccount = principal.accountId === grant.issuingAccount || grant.retiringPrincipal === accountRoot;
  if (delegatedAccount && identity.effect === 'Allow') return identity;
  return decide('ImplicitDeny', identity.matched);
}

function allow(source: `grant:${string}`, identity: Decision): Decision {
  return { effect: 'Allow', reason: 'grant', matched: [...identity.matched, { source, effect: 'Allow' }] };
}

function decide(effect: DecisionEffect, matched: Decision['matched']): Decision {
  return { effect, reason: 'identity-policy', matched };
}
