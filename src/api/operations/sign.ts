import { keyOperation } from '../operation.js';
import { signMessage } from '../../service/signing.js';
import { stated } from '../wire/request-terms.js';

/**
 * Signs a message (RAW, at most 4096 bytes), a digest (DIGEST, exactly the algorithm's hash length) or an
 * ML-DSA μ (EXTERNAL_MU) with an asymmetric SIGN_VERIFY key. The signature verifies with OpenSSL and
 * standard libraries against the public key from GetPublicKey; ECDSA signatures are DER.
 */
export const Sign = keyOperation({
  name: 'Sign',
  action: 'kms:Sign',
  readOnly: true,
  terms: (input) => stated({
    signingAlgorithm: input.SigningAlgorithm,
    messageType: input.MessageType ?? 'RAW',
    grantTokens: input.GrantTokens,
  }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['SIGN_VERIFY'] },
  async handle({ input, key }, deps) {
    const signature = await signMessage(deps, key, input.SigningAlgorithm, input.Message, input.MessageType ?? 'RAW');
    return { KeyId: key.arn, Signature: signature, SigningAlgorithm: input.SigningAlgorithm };
  },
});
