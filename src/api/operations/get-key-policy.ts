import { keyOperation } from '../operation.js';
import { assertDefaultPolicyName, DEFAULT_POLICY_NAME } from '../wire/policy-name.js';

/** The key policy, exactly as it was set (or AWS's default policy text). */
export const GetKeyPolicy = keyOperation({
  name: 'GetKeyPolicy',
  action: 'kms:GetKeyPolicy',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input, key }) {
    assertDefaultPolicyName(input.PolicyName);
    return { Policy: key.policy, PolicyName: DEFAULT_POLICY_NAME };
  },
});
