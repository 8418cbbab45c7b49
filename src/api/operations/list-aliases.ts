import { accountOperation } from '../operation.js';
import { aliasArn } from '../../keys/key.js';
import { listAliases } from '../../service/aliases.js';
import { listingWithMarkers, pageRequest, pagingMembers } from '../wire/paging.js';

/**
 * The caller's aliases in the request's region by name, or only those of the key `KeyId` names. AWS's own
 * aliases of AWS managed keys (`alias/aws/...`) are not listed: this server has no AWS managed keys.
 */
export const ListAliases = accountOperation({
  name: 'ListAliases',
  action: 'kms:ListAliases',
  readOnly: true,
  async handle({ input, scope, deps }) {
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
