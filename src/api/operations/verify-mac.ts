import { keyOperation } from '../operation.js';
import { verifyMac } from '../../service/mac.js';
import { stated } from '../wire/request-terms.js';

/** Checks a MAC in constant time; a mismatch is AWS's `KMSInvalidMacException`, a match `MacValid: true`. */
export const VerifyMac = keyOperation({
  name: 'VerifyMac',
  action: 'kms:VerifyMac',
  readOnly: true,
  terms: (input) => stated({ macAlgorithm: input.MacAlgorithm, grantTokens: input.GrantTokens }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['GENERATE_VERIFY_MAC'] },
  async handle({ input, key }, deps) {
    await verifyMac(deps, key, input.MacAlgorithm, input.Message, input.Mac);
    return { KeyId: key.arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
  },
});
