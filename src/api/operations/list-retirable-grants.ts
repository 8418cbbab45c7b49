import { AccessDeniedException, ValidationException } from '../../errors.js';
import { accountOperation } from '../operation.js';
import { listingWithMarkers, pageRequest, pagingMembers } from '../wire/paging.js';
import { toGrantListEntry } from './list-grants.js';

const PRINCIPAL_ACCOUNT = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/;

/**
 * Grants, on keys of any account, whose retiring principal is `RetiringPrincipal` — which must be a principal
 * of the caller's account (the pipeline checks kms:ListRetirableGrants in the caller's identity policies).
 * Grants retirable by a `RetiringServicePrincipal` do not exist here, so asking for them lists none.
 */
export const ListRetirableGrants = accountOperation({
  name: 'ListRetirableGrants',
  action: 'kms:ListRetirableGrants',
  readOnly: true,
  async handle({ input, caller }, deps) {
    // No grant here is retirable by a service principal (CreateGrant refuses them): that query matches none.
    if (input.RetiringServicePrincipal !== undefined) return { Grants: [], Truncated: false };
    const principal = input.RetiringPrincipal;
    if (principal === undefined) {
      throw new ValidationException(
        "1 validation error detected: Value null at 'retiringPrincipal' failed to satisfy constraint: Member must not be null",
      );
    }
    if (PRINCIPAL_ACCOUNT.exec(principal)?.[1] !== caller.accountId) {
      throw new AccessDeniedException(
        `User: ${caller.arn} is not authorized to perform: kms:ListRetirableGrants on resource: ${principal} ` +
          'because no identity-based policy allows the kms:ListRetirableGrants action',
      );
    }
    const request = pageRequest(input, { default: 50, max: 100 });
    const page = await listingWithMarkers(() => deps.store.grants.listRetirable(principal, request));
    return { Grants: page.items.map(toGrantListEntry), ...pagingMembers(page) };
  },
});
