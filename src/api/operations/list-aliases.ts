import { accountOperation } from '../operation.js';
import { aliasArn } from '../../keys/key.js';
import { listAliases } from '../../service/aliases.js';
import { foreignKeyDenied, namesAnotherAccount } from '../foreign-key.js';
import { listingWithMarkers, pageRequest, pagingMembers } from '../wire/paging.js';

/**
 * The caller's aliases in the request's region by name, or only those of the key `KeyId` names. AWS's own
 * aliases of AWS managed keys (`alias/aws/...`) are not listed: this server has no AWS managed keys.
 * A `KeyId` of another account is refused from its text alone, as every key operation refuses a foreign key
 * the caller may not use: looking it up would answer an empty list when it exists and NotFoundException when
 * it does not.
 */
export const ListAliases = accountOperation({
  name: 'ListAliases',
  action: 'kms:ListAliases',
  readOnly: true,
  async handle({ input, scope, caller }, deps) {
    if (input.KeyId !== undefined && namesAnotherAccount(input.KeyId, scope)) {
      throw foreignKeyDenied(caller, 'kms:ListAliases', input.KeyId);
    }
    const request = pageRequest(input, { default: 50, max: 100 });
    const page = await listingWithMarkers(() =>
      listAliases(deps, scope, { ...request, ...(input.KeyId !== undefined ? { keyReference: input.KeyId } : {}) }),
    );
    return {
      Aliases: page.items.map((alias) => ({
        AliasName: alias.name,
        AliasArn: aliasArn(alias, alias.name),
        TargetKeyId: alias.targetKeyId,
        CreationDate: new Date(alias.createdAt),
        LastUpdatedDate: new Date(alias.updatedAt),
      })),
      ...pagingMembers(page),
    };
  },
});
