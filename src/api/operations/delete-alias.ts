import { keyOperation } from '../operation.js';
import { assertAliasPrefix, deleteAlias } from '../../service/aliases.js';

/**
 * Deletes an alias; its key is untouched. The key is resolved through the alias (a missing alias is AWS's
 * NotFoundException) so that `kms:DeleteAlias` is authorized on it; any key state allows it.
 */
export const DeleteAlias = keyOperation({
  name: 'DeleteAlias',
  action: 'kms:DeleteAlias',
  readOnly: false,
  key: {
    reference: (input) => {
      assertAliasPrefix(input.AliasName);
      return input.AliasName;
    },
    acceptsAlias: true,
    states: 'any',
  },
  async handle({ input, scope }, deps) {
    await deleteAlias(deps, scope, input.AliasName);
    return {};
  },
});
