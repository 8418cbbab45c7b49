import { keyOperation } from '../operation.js';
import { ValidationException } from '../../errors.js';
import { IMPORT_WRAPPING_ALGORITHMS, WRAPPING_KEY_SPECS, type ImportWrappingAlgorithm, type WrappingKeySpec } from '../../crypto/import-wrapping.js';
import { issueImportParameters } from '../../service/importing/import-parameters.js';

/**
 * The public half of a fresh RSA wrapping key pair and an import token carrying its private half, valid 24 hours,
 * for a key of origin EXTERNAL. AWS's deprecated RSAES_PKCS1_V1_5 and its China-only SM2 are refused.
 */
export const GetParametersForImport = keyOperation({
  name: 'GetParametersForImport',
  action: 'kms:GetParametersForImport',
  readOnly: true,
  validate(input): { algorithm: ImportWrappingAlgorithm; wrappingKeySpec: WrappingKeySpec } {
    const algorithm = IMPORT_WRAPPING_ALGORITHMS.find((known) => known === input.WrappingAlgorithm);
    if (algorithm === undefined) {
      throw new ValidationException(`WrappingAlgorithm ${input.WrappingAlgorithm} is not supported for importing key material.`);
    }
    const wrappingKeySpec = WRAPPING_KEY_SPECS.find((known) => known === input.WrappingKeySpec);
    if (wrappingKeySpec === undefined) {
      throw new ValidationException(`WrappingKeySpec ${input.WrappingKeySpec} is not supported for importing key material.`);
    }
    return { algorithm, wrappingKeySpec };
  },
  // PendingImport is the state this is for; a key pending deletion can still be given its material back.
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ key, validated }, deps) {
    const issued = await issueImportParameters(deps, key, validated.algorithm, validated.wrappingKeySpec);
    return {
      KeyId: key.arn,
      ImportToken: issued.importToken,
      PublicKey: issued.publicKey,
      ParametersValidTo: new Date(issued.validTo),
    };
  },
});
