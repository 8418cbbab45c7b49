import { keyOperation } from '../operation.js';
import { assertPolicyDocument } from '../../service/key-creation.js';
import { mutateKey } from '../../service/key-mutation.js';
import { assertDefaultPolicyName } from '../wire/policy-name.js';

/**
 * Replaces the key policy. The document's size (32 KB) and characters are checked by the generated
 * validation; here it must parse as a JSON object. Allowed in every key state, as AWS allows it.
 */
export const PutKeyPolicy = keyOperation({
  name: 'PutKeyPolicy',
  action: 'kms:PutKeyPolicy',
  readOnly: false,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input, key, deps }) {
    assertDefaultPolicyName(input.PolicyName);
    assertPolicyDocument(input.Policy);
    await mutateKey(deps, key.key, () => ({ fields: { policy: input.Policy } }));
    return {};
  },
});
