import { keyOperation } from '../operation.js';
import { verifySignature } from '../../service/signing.js';
import { stated } from '../wire/request-terms.js';

/**
 * Verifies a signature with an asymmetric SIGN_VERIFY key. A signature that does not verify is AWS's
 * `KMSInvalidSignatureException`; a valid one answers `SignatureValid: true`.
 */
export const Verify = keyOperation({
  name: 'Verify',
  action: 'kms:Verify',
  readOnly: true,
  terms: (input) => stated({
    signingAlgorithm: input.SigningAlgorithm,
    messageType: input.MessageType ?? 'RAW',
    grantTokens: input.GrantTokens,
  }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['SIGN_VERIFY'] },
  async handle({ input, key }, deps) {
    await verifySignature(deps, key, input.SigningAlgorithm, input.Message, input.MessageType ?? 'RAW', input.Signature);
    return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
  },
});
