import { createHmac } from 'node:crypto';
import { wrapMaterial } from '../key-materials.js';
import type { KeyMaterial, RotationType } from '../../keys/key.js';
import type { ServiceDependencies } from '../services.js';
import type { GivenMaterial } from './given-material.js';

const MATERIAL_ID_LABEL = Buffer.from('strongroom/seeded-material-id/v1\0', 'utf8');

/**
 * The id of a given material version of a key: the same on every server given the same key ARN and material,
 * so that a ciphertext blob (which names the key ARN and the material id, docs/ciphertext-format.md) made by
 * one server decrypts on another seeded alike. ADR 0013 says why it is derived this way:
 *
 *   materialId = hex(HMAC-SHA-256(key = identity, data = "strongroom/seeded-material-id/v1" ‖ 00 ‖ keyArn))
 *
 * where `identity` is the secret itself for symmetric and HMAC material and the DER SubjectPublicKeyInfo for
 * a key pair (the canonical, encoding-independent name of a private key). The HMAC is a PRF keyed by the
 * secret: the id, public in every ciphertext, reveals nothing about the material, and binding the ARN gives
 * the same material different ids under different keys.
 *
 * @example seededMaterialId('arn:aws:kms:us-east-1:111122223333:key/1234abcd-...', material); // 64 hex characters
 */
export function seededMaterialId(keyArn: string, material: GivenMaterial): string {
  const identity = material.publicKey ?? material.secret.expose();
  return createHmac('sha256', identity).update(MATERIAL_ID_LABEL).update(keyArn, 'utf8').digest('hex');
}

/**
 * A material version of `keyArn` made from given material, wrapped by the root key for storage like any other.
 * The caller keeps (and wipes) the given secret; nothing of it is cached here.
 */
export function wrapGivenMaterial(
  deps: Pick<ServiceDependencies, 'rootKey' | 'now'>,
  keyArn: string,
  material: GivenMaterial,
  rotationType?: RotationType,
): KeyMaterial {
  const version = {
    id: seededMaterialId(keyArn, material),
    createdAt: deps.now(),
    ...(material.publicKey ? { publicKey: material.publicKey } : {}),
    ...(rotationType ? { rotationType } : {}),
  };
  return wrapMaterial(deps, keyArn, version, material.secret);
}
