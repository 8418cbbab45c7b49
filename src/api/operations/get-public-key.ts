import { UnsupportedOperationException } from '../../errors.js';
import { algorithmsFor, KEY_SPECS } from '../../keys/key-spec.js';
import { loadPublicKeyHandle } from '../../service/key-materials.js';
import type { CustomerMasterKeySpec } from '../generated/kms-shapes.js';
import { keyOperation } from '../operation.js';
import { stated } from '../wire/request-terms.js';

/**
 * The public key of an asymmetric key as a DER SubjectPublicKeyInfo, with what a caller needs to use it
 * offline: its spec, usage and the algorithms of that usage. Symmetric and HMAC keys have no public key.
 */
export const GetPublicKey = keyOperation({
  name: 'GetPublicKey',
  action: 'kms:GetPublicKey',
  readOnly: true,
  terms: (input) => stated({ grantTokens: input.GrantTokens }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'use' },
  async handle({ key }, deps) {
    const { spec, usage, arn } = key;
    if (KEY_SPECS[spec].keyType !== 'asymmetric') {
      throw new UnsupportedOperationException(`${arn} key spec ${spec} does not have a public key.`);
    }
    const publicKey = await loadPublicKeyHandle(deps, key);
    const algorithms = algorithmsFor(spec, usage);
    return {
      KeyId: arn,
      PublicKey: publicKey.spki,
      // Deprecated twin of KeySpec; AWS still returns it.
      CustomerMasterKeySpec: spec as CustomerMasterKeySpec,
      KeySpec: spec,
      KeyUsage: usage,
      ...(algorithms.encryptionAlgorithms.length ? { EncryptionAlgorithms: [...algorithms.encryptionAlgorithms] } : {}),
      ...(algorithms.signingAlgorithms.length ? { SigningAlgorithms: [...algorithms.signingAlgorithms] } : {}),
      ...(algorithms.keyAgreementAlgorithms.length
        ? { KeyAgreementAlgorithms: [...algorithms.keyAgreementAlgorithms] }
        : {}),
    };
  },
});
