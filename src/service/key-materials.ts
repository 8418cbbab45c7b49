import { buildMaterialAad } from '../crypto/root-key.js';
import { SecretBytes } from '../crypto/secret-bytes.js';
import type { KeyMaterial, KmsKey, RotationType } from '../keys/key.js';
import { KMSInternalException } from '../errors.js';
import type { ServiceDependencies } from './services.js';

const SYMMETRIC_KEY_BYTES = 32;

/**
 * Creates a new version of symmetric key material for `keyArn`, wrapped by the root key for storage.
 * The plaintext material goes straight into the cache; only the wrapped form leaves this function.
 */
export function newSymmetricMaterial(
  deps: ServiceDependencies,
  keyArn: string,
  rotationType?: RotationType,
): KeyMaterial {
  const id = deps.newMaterialId();
  const secret = SecretBytes.random(SYMMETRIC_KEY_BYTES);
  const wrapped = deps.rootKey.wrap(secret, buildMaterialAad(keyArn, id));
  deps.materials.set(materialCacheKey(keyArn, id), secret);
  return {
    keyArn,
    id,
    createdAt: deps.now(),
    wrapped,
    ...(rotationType ? { rotationType } : {}),
  };
}

/**
 * The plaintext of one material version of a key, from the bounded cache or unwrapped from the store.
 * Returns undefined when the key has no such version (a ciphertext naming a foreign or deleted version).
 */
export async function loadMaterial(
  deps: ServiceDependencies,
  key: KmsKey,
  materialId: string,
): Promise<SecretBytes | undefined> {
  const cacheKey = materialCacheKey(key.arn, materialId);
  const cached = deps.materials.get(cacheKey);
  if (cached) return cached;
  const record = await deps.store.keys.getMaterial(key.arn, materialId);
  if (!record) return undefined;
  return deps.materials.getOrLoad(cacheKey, async () => {
    try {
      return deps.rootKey.unwrap(record.wrapped, buildMaterialAad(key.arn, materialId));
    } catch {
      // A stored material that does not unwrap means a wrong root key or a corrupted store: never a caller error.
      throw new KMSInternalException(`key material of ${key.arn} cannot be unwrapped with this root key`);
    }
  });
}

/**
 * Cached material is found by key and version together, so a ciphertext naming one key and another key's
 * material version can never reach that material through the cache.
 */
export function materialCacheKey(keyArn: string, materialId: string): string {
  return `${keyArn}#${materialId}`;
}
