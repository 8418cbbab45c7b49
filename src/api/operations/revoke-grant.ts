import { deleteGrant, findGrant } from '../../service/grants.js';
import { keyOperation } from '../operation.js';

/** Revokes (deletes) a grant: for key administrators, authorized by kms:RevokeGrant like any key operation. */
export const RevokeGrant = keyOperation({
  name: 'RevokeGrant',
  action: 'kms:RevokeGrant',
  readOnly: false,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input, key }, deps) {
    await deleteGrant(deps, await findGrant(deps, key, { grantId: input.GrantId }));
    return {};
  },
});
