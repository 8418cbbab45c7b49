import { keyOperation } from '../operation.js';
import { signMessage } from '../../service/signing.js';

/**
 * Signs a message (RAW, at most 4096 bytes), a digest (DIGEST, exactly the algorithm's hash length) or an
 * ML-DSA μ (EXTERNAL_MU) with an asymmetric SIGN_VERIFY key. The signature verifies with OpenSSL and
 * standard libraries against the public key from GetPublicKey; ECDSA signatures are DER.
 */
export const Sign = keyOperation({
  name: 'Sign',
  action: 'kms:Sign',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['SIGN_VERIFY'] },
  async handle({ input, key, deps }) {
    const signature = await signMessage(deps, key.key, input.SigningAlgorithm, input.Message, input.MessageType ?? 'RAW');
    return { KeyId: key.key.arn, Signature: signature, SigningAlgorithm: input.SigningAlgorithm };
  },
});
