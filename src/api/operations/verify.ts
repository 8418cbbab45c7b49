import { keyOperation } from '../operation.js';
import { verifySignature } from '../../service/signing.js';

/**
 * Verifies a signature with an asymmetric SIGN_VERIFY key. A signature that does not verify is AWS's
 * `KMSInvalidSignatureException`; a valid one answers `SignatureValid: true`.
 */
export const Verify = keyOperation({
  name: 'Verify',
  action: 'kms:Verify',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['SIGN_VERIFY'] },
  async handle({ input, key, deps }) {
    await verifySignature(deps, key.key, input.SigningAlgorithm, input.Message, input.MessageType ?? 'RAW', input.Signature);
    return { KeyId: key.key.arn, SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
  },
});
