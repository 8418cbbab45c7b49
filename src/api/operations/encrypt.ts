import { keyOperation } from '../operation.js';
import { encryptUnderKey } from '../../service/encryption.js';
import { stated } from '../wire/request-terms.js';

/**
 * Encrypts up to 4096 bytes under a symmetric key (a ciphertext blob bound to the encryption context) or
 * an RSA key (raw RSA-OAEP with `RSAES_OAEP_SHA_1`/`_256`, within AWS's per-size limits, no context).
 */
export const Encrypt = keyOperation({
  name: 'Encrypt',
  action: 'kms:Encrypt',
  readOnly: true,
  terms: (input) => stated({
    encryptionContext: input.EncryptionContext,
    encryptionAlgorithm: input.EncryptionAlgorithm,
    grantTokens: input.GrantTokens,
  }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use', usages: ['ENCRYPT_DECRYPT'] },
  async handle({ input, key }, deps) {
    const { ciphertext, algorithm } = await encryptUnderKey(deps, {
      key,
      algorithm: input.EncryptionAlgorithm,
      plaintext: input.Plaintext,
      encryptionContext: input.EncryptionContext,
    });
    return { CiphertextBlob: ciphertext, KeyId: key.arn, EncryptionAlgorithm: algorithm };
  },
});
