import { keyOperation } from '../operation.js';
import { assertCustomerAliasName, createAlias } from '../../service/aliases.js';

/**
 * Creates an alias for a customer managed key. The target is the operation's key: named by key id or key ARN
 * only, and refused while pending deletion ('manage'). The alias name is checked first, as AWS checks it.
 */
export const CreateAlias = keyOperation({
  name: 'CreateAlias',
  action: 'kms:CreateAlias',
  readOnly: false,
  key: {
    reference: (input) => {
      assertCustomerAliasName(input.AliasName);
      return input.TargetKeyId;
    },
    acceptsAlias: false,
    states: 'manage',
  },
  async handle({ input, scope, key }, deps) {
    await createAlias(deps, scope, input.AliasName, key);
    return {};
  },
});
