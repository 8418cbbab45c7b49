import { AccessDeniedException, type KmsError } from '../../errors.js';
import type { Decision } from './decision.js';
import type { RequestContext } from './request-context.js';

/**
 * AWS's AccessDeniedException text for a denial, e.g.
 * `User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource:
 * arn:aws:kms:us-east-1:111122223333:key/1234abcd-... because no resource-based policy allows the kms:Decrypt action`.
 * The four forms: explicit deny in a resource-based or an identity-based policy; no resource-based or no
 * identity-based policy allows. Actions on no resource name the resource `*`, as AWS does for CreateKey.
 */
export function accessDeniedMessage(decision: Decision, request: RequestContext): string {
  const prefix = `User: ${request.principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource}`;
  const policyKind = decision.reason === 'key-policy' ? 'resource-based' : 'identity-based';
  switch (decision.effect) {
    case 'ExplicitDeny':
      return `${prefix} with an explicit deny in a${policyKind === 'identity-based' ? 'n' : ''} ${policyKind} policy`;
    case 'ImplicitDeny':
      return `${prefix} because no ${policyKind} policy allows the ${request.action} action`;
    case 'Allow':
      throw new Error('accessDeniedMessage called for an allowed request');
  }
}

/** The AccessDeniedException to throw for a denial. */
export function accessDeniedException(decision: Decision, request: RequestContext): KmsError {
  return new AccessDeniedException(accessDeniedMessage(decision, request));
}
