import { NotFoundException, ValidationException } from '../../errors.js';
import { parseGrantToken } from '../../auth/grants/grant-token.js';
import { deleteGrant, findGrant } from '../../service/grants.js';
import { foreignKeyDenied } from '../foreign-key.js';
import { keyOperation } from '../operation.js';
import { stated } from '../wire/request-terms.js';

/**
 * Retires a grant named by its token, or by key and grant id. The key is the token's (a token names its key)
 * or `KeyId`'s. Who may retire is decided by the grant itself (retiring principal, grantee with RetireGrant,
 * the issuing account): the authorizer applies those rules for kms:RetireGrant, not the key policy.
 */
export const RetireGrant = keyOperation({
  name: 'RetireGrant',
  action: 'kms:RetireGrant',
  readOnly: false,
  terms: (input) => ({ grantToRetire: stated<{ grantToken: string; grantId: string }>({ grantToken: input.GrantToken, grantId: input.GrantId }) }),
  key: {
    reference: (input) => {
      if (input.GrantToken !== undefined) return parseGrantToken(input.GrantToken).keyArn;
      if (input.KeyId === undefined || input.GrantId === undefined) {
        throw new ValidationException('Either GrantToken, or both KeyId and GrantId, must be specified.');
      }
      return input.KeyId;
    },
    acceptsAlias: false,
    states: 'any',
  },
  async handle({ input, key, caller }, deps) {
    const grant = await findGrant(deps, key, {
      ...(input.GrantToken === undefined ? {} : { grantToken: input.GrantToken }),
      ...(input.GrantId === undefined ? {} : { grantId: input.GrantId }),
    }).catch((error: unknown) => {
      // The authorizer lets a request for a grant that does not exist through (nothing to protect), so here a
      // caller of another account would learn that the key exists: it gets the pipeline's foreign-key answer.
      // Another account's key is named by its key ARN here (this operation takes no aliases), so the ARN is the
      // text the caller sent.
      if (error instanceof NotFoundException && key.accountId !== caller.accountId) {
        throw foreignKeyDenied(caller, 'kms:RetireGrant', key.arn);
      }
      throw error;
    });
    await deleteGrant(deps, grant);
    return {};
  },
});
