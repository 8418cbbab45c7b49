import { keyOperation } from '../operation.js';
import { assertCustomerAliasName, updateAlias } from '../../service/aliases.js';

/**
 * Points an alias at another key. The operation's key is the alias's current key (named through the alias,
 * which must exist); the destination key is the new target, named by key id or ARN and refused while pending
 * deletion. Both are authorized for `kms:UpdateAlias`, as AWS requires.
 */
export const UpdateAlias = keyOperation({
  name: 'UpdateAlias',
  action: 'kms:UpdateAlias',
  readOnly: false,
  key: {
    reference: (input) => {
      assertCustomerAliasName(input.AliasName);
      return input.AliasName;
    },
    acceptsAlias: true,
    states: 'any',
  },
  destinationKey: { reference: (input) => input.TargetKeyId, acceptsAlias: false, states: 'manage' },
  async handle({ input, scope, key, destinationKey }, deps) {
    // The pipeline always resolves a declared destination key; this only narrows the type.
    if (!destinationKey) throw new Error('UpdateAlias ran without its new target key');
    await updateAlias(deps, scope, input.AliasName, key, destinationKey);
    return {};
  },
});
