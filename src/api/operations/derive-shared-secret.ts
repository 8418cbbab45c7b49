import { keyOperation } from '../operation.js';
import { deriveSharedSecret } from '../../service/key-agreement.js';
import { refuseRecipient } from '../wire/recipient.js';
import { stated } from '../wire/request-terms.js';

/**
 * ECDH with a KEY_AGREEMENT key and a peer's public key (DER SPKI on the same curve): the shared secret is
 * the raw X coordinate, the same the peer derives from its private key and GetPublicKey's output.
 */
export const DeriveSharedSecret = keyOperation({
  name: 'DeriveSharedSecret',
  action: 'kms:DeriveSharedSecret',
  readOnly: true,
  terms: (input) => stated({ grantTokens: input.GrantTokens }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['KEY_AGREEMENT'] },
  async handle({ input, key }, deps) {
    refuseRecipient(input.Recipient);
    const secret = await deriveSharedSecret(deps, key, input.KeyAgreementAlgorithm, input.PublicKey);
    return {
      KeyId: key.arn,
      SharedSecret: secret.expose(),
      KeyAgreementAlgorithm: input.KeyAgreementAlgorithm,
      KeyOrigin: key.origin,
    };
  },
});
