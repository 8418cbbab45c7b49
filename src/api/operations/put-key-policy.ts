import { keyOperation } from '../operation.js';
import { validateNewKeyPolicy } from '../../auth/authorization/new-key-policy.js';
import { mutateKey } from '../../service/key-mutation.js';
import { assertDefaultPolicyName } from '../wire/policy-name.js';

/**
 * Replaces the key policy. The document's size (32 KB) and characters are checked by the generated
 * validation; here the policy engine checks the grammar, that the principals exist and that the caller does
 * not lock itself out (unless BypassPolicyLockoutSafetyCheck). Allowed in every key state, as AWS allows it.
 */
export const PutKeyPolicy = keyOperation({
  name: 'PutKeyPolicy',
  action: 'kms:PutKeyPolicy',
  readOnly: false,
  terms: (input) => ({ bypassPolicyLockoutSafetyCheck: input.BypassPolicyLockoutSafetyCheck === true }),
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input, key, caller }, deps) {
    assertDefaultPolicyName(input.PolicyName);
    await validateNewKeyPolicy({
      identities: deps.store.identities,
      caller,
      policy: input.Policy,
      keyArn: key.arn,
      bypassPolicyLockoutSafetyCheck: input.BypassPolicyLockoutSafetyCheck === true,
    });
    await mutateKey(deps, key, () => ({ fields: { policy: input.Policy } }));
    return {};
  },
});
