import type { Grant } from '../../store/store.js';
import { keyOperation } from '../operation.js';
import type { GrantListEntry, GrantOperation } from '../generated/kms-shapes.js';
import { listingWithMarkers, pageOfList, pageRequest, pagingMembers } from '../wire/paging.js';

/**
 * The grants of a key in creation order, optionally only the one with `GrantId` or those of one
 * `GranteePrincipal` or `GranteeServicePrincipal` (filtered listings are paged in memory: a key's grants are read whole for them).
 */
export const ListGrants = keyOperation({
  name: 'ListGrants',
  action: 'kms:ListGrants',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input, key }, deps) {
    const request = pageRequest(input, { default: 50, max: 100 });
    const filtered =
      input.GrantId !== undefined || input.GranteePrincipal !== undefined || input.GranteeServicePrincipal !== undefined;
    const page = filtered
      ? pageOfList('filtered-grants', (await deps.store.grants.listAll(key.arn)).filter((grant) =>
          (input.GrantId === undefined || grant.grantId === input.GrantId) &&
          (input.GranteePrincipal === undefined || grant.granteePrincipal === input.GranteePrincipal) &&
          // No grant here has a service principal as grantee (CreateGrant refuses them): that filter matches none.
          input.GranteeServicePrincipal === undefined), request)
      : await listingWithMarkers(() => deps.store.grants.list(key.arn, request));
    return { Grants: page.items.map(toGrantListEntry), ...pagingMembers(page) };
  },
});

/** A stored grant as ListGrants and ListRetirableGrants show it (the token is never shown again). */
export function toGrantListEntry(grant: Grant): GrantListEntry {
  const { encryptionContextSubset: subset, encryptionContextEquals: equals } = grant.constraints ?? {};
  return {
    KeyId: grant.keyArn,
    GrantId: grant.grantId,
    ...(grant.name === undefined ? {} : { Name: grant.name }),
    CreationDate: new Date(grant.createdAt),
    GranteePrincipal: grant.granteePrincipal,
    ...(grant.retiringPrincipal === undefined ? {} : { RetiringPrincipal: grant.retiringPrincipal }),
    IssuingAccount: `arn:aws:iam::${grant.issuingAccount}:root`,
    Operations: grant.operations as GrantOperation[],
    ...(grant.constraints === undefined
      ? {}
      : {
          Constraints: {
            ...(subset === undefined ? {} : { EncryptionContextSubset: { ...subset } }),
            ...(equals === undefined ? {} : { EncryptionContextEquals: { ...equals } }),
          },
        }),
  };
}
