import { createHmac } from 'node:crypto';
import type { GivenMaterial } from '../seeding/given-material.js';

const LABEL = Buffer.from('strongroom/imported-material-id/v1\0', 'utf8');

/**
 * The id of imported key material: derived, as AWS derives it, from the key id and the material, so importing
 * the same material again — after deletion or expiry, or into a replica of a multi-Region key, which has the same
 * key id — is recognised as the same version (ADR 0020):
 *
 *   materialId = hex(HMAC-SHA-256(key = identity, data = "strongroom/imported-material-id/v1" ‖ 00 ‖ keyId))
 *
 * with `identity` the secret for symmetric and HMAC material and the SubjectPublicKeyInfo for a key pair (its
 * encoding-independent name), as for seeded material (`seeding/seeded-material.ts`): the id reveals nothing of
 * the material.
 */
export function importedMaterialId(keyId: string, material: GivenMaterial): string {
  const identity = material.publicKey ?? material.secret.expose();
  return createHmac('sha256', identity).update(LABEL).update(keyId, 'utf8').digest('hex');
}
