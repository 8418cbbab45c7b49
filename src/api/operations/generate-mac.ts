import { keyOperation } from '../operation.js';
import { generateMac } from '../../service/mac.js';
import { stated } from '../wire/request-terms.js';

/** The HMAC of a message (at most 4096 bytes) with a GENERATE_VERIFY_MAC key and its one MAC algorithm. */
export const GenerateMac = keyOperation({
  name: 'GenerateMac',
  action: 'kms:GenerateMac',
  readOnly: true,
  terms: (input) => stated({ macAlgorithm: input.MacAlgorithm, grantTokens: input.GrantTokens }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['GENERATE_VERIFY_MAC'] },
  async handle({ input, key }, deps) {
    const mac = await generateMac(deps, key, input.MacAlgorithm, input.Message);
    return { Mac: mac, MacAlgorithm: input.MacAlgorithm, KeyId: key.arn };
  },
});
