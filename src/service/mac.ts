import { hmacGenerate, hmacVerify } from '../crypto/hmac.js';
import { KMSInternalException, KMSInvalidMacException } from '../errors.js';
import { currentMaterialOf, type KmsKey } from '../keys/key.js';
import type { MacAlgorithm } from '../keys/key-spec.js';
import { assertAlgorithmOffered } from './algorithm-compatibility.js';
import { loadMaterial } from './key-materials.js';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import type { ServiceDependencies } from './services.js';

/**
 * GenerateMac and VerifyMac with a GENERATE_VERIFY_MAC (HMAC_*) key. Each HMAC spec offers exactly one
 * algorithm (HMAC_256 → HMAC_SHA_256, …); the tag is the full digest length, compared in constant time.
 */

async function macKey(deps: ServiceDependencies, key: KmsKey, algorithm: MacAlgorithm): Promise<SecretBytes> {
  assertAlgorithmOffered(key, 'macAlgorithms', algorithm);
  const material = await loadMaterial(deps, key, currentMaterialOf(key));
  if (!material) throw new KMSInternalException(`current material of ${key.arn} is missing from the store`);
  return material;
}

/**
 * The HMAC of `message` under the key's material.
 * @throws InvalidKeyUsageException for an algorithm the key's spec does not offer.
 * @example const mac = await generateMac(deps, key, 'HMAC_SHA_256', message); // 32 bytes
 */
export async function generateMac(
  deps: ServiceDependencies,
  key: KmsKey,
  algorithm: MacAlgorithm,
  message: Buffer,
): Promise<Buffer> {
  const material = await macKey(deps, key, algorithm);
  // Used synchronously: the cache may wipe what it hands out once this turn of the event loop ends.
  return hmacGenerate(material, algorithm, message);
}

/**
 * Checks a MAC. A mismatch is AWS's `KMSInvalidMacException` (VerifyMac never answers `MacValid: false`).
 * @throws InvalidKeyUsageException for an algorithm the key's spec does not offer.
 */
export async function verifyMac(
  deps: ServiceDependencies,
  key: KmsKey,
  algorithm: MacAlgorithm,
  message: Buffer,
  mac: Buffer,
): Promise<void> {
  const material = await macKey(deps, key, algorithm);
  if (!hmacVerify(material, algorithm, message, mac)) throw new KMSInvalidMacException('');
}
