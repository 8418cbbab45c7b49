import { ValidationException } from '../../errors.js';
import type { Tag } from '../../keys/key.js';
import { KEY_SPECS, type KeySpec } from '../../keys/key-spec.js';
import type { ServiceDependencies } from '../services.js';
import { MaterialProblem, readGivenMaterial, type GivenMaterial } from './given-material.js';

/** LocalStack's tag that names the id of the key CreateKey makes. */
export const CUSTOM_ID_TAG = '_custom_id_';
/** LocalStack's tag that holds the key material (base64) of the key CreateKey makes. */
export const CUSTOM_KEY_MATERIAL_TAG = '_custom_key_material_';

/** A key id a person may choose: a UUID, or a multi-Region key's `mrk-` and 32 hexadecimal digits. */
export const KEY_ID = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$/;

/** What LocalStack's tags of a CreateKey request ask for. */
export interface LocalStackKeyRequest {
  /** The id the key gets (from `_custom_id_`); absent: a random UUID, as always. */
  readonly keyId?: string;
  /** The key material (from `_custom_key_material_`); absent: generated, as always. Wipe it after use. */
  readonly material?: GivenMaterial;
  /** The key's tags: the request's, without `_custom_key_material_` (a tag is readable by anyone who may list them). */
  readonly tags: readonly Tag[];
}

/**
 * LocalStack's conventions for keys with known ids and material, honoured in development mode only (as
 * LocalStack does, services/kms/models.py):
 * - `_custom_id_`: the key's id, surrounding spaces trimmed. The tag stays on the key, as in LocalStack.
 * - `_custom_key_material_`: the key material, base64: 32 bytes for SYMMETRIC_DEFAULT, an HMAC key of the
 *   spec's lengths, a DER private key (PKCS#8, SEC1 or PKCS#1) for RSA and ECC specs, a 32-byte seed for
 *   ML-DSA. The tag is removed, so that the material is not kept in clear among the tags.
 * Outside development mode both are ordinary tags, as at AWS, where tag keys may begin with `_`.
 *
 * @throws ValidationException when a tag's value is not a valid key id, or not material of the spec (the
 *   message never quotes the material).
 * @example
 *   const custom = readLocalStackTags(deps, 'SYMMETRIC_DEFAULT', [{ key: '_custom_id_', value: '0000...0001' }]);
 *   custom.keyId; // '0000...0001'
 */
export function readLocalStackTags(deps: ServiceDependencies, spec: KeySpec, tags: readonly Tag[]): LocalStackKeyRequest {
  // SM2 keys are refused by CreateKey itself, whatever their tags.
  if (deps.developmentMode !== true || !KEY_SPECS[spec].supportedHere) return { tags };
  const customId = tags.find((tag) => tag.key === CUSTOM_ID_TAG)?.value.trim();
  if (customId !== undefined && !KEY_ID.test(customId)) {
    throw new ValidationException(
      `The ${CUSTOM_ID_TAG} tag must name a key id: a UUID, or mrk- and 32 hexadecimal digits.`,
    );
  }
  const materialTag = tags.find((tag) => tag.key === CUSTOM_KEY_MATERIAL_TAG);
  const material = materialTag === undefined ? undefined : readTaggedMaterial(spec, materialTag.value);
  return {
    ...(customId !== undefined ? { keyId: customId } : {}),
    ...(material !== undefined ? { material } : {}),
    tags: tags.filter((tag) => tag !== materialTag),
  };
}

function readTaggedMaterial(spec: KeySpec, value: string): GivenMaterial {
  try {
    return readGivenMaterial(spec, value, 'base64-der');
  } catch (error) {
    if (!(error instanceof MaterialProblem)) throw error;
    throw new ValidationException(`The ${CUSTOM_KEY_MATERIAL_TAG} tag does not hold key material of KeySpec ${spec}: ${error.message}.`);
  }
}
