import { randomBytes } from 'node:crypto';
import { loadPrivateKey, loadPublicKey, type PrivateKeyHandle, type PublicKeyHandle } from '../crypto/asymmetric/index.js';
import { generateHmacKey } from '../crypto/hmac.js';
import { buildMaterialAad } from '../crypto/root-key.js';
import { SecretBytes } from '../crypto/secret-bytes.js';
import { currentMaterialOf, type KeyMaterial, type KmsKey, type RotationType } from '../keys/key.js';
import { isHmacKeySpec, isSymmetric, type KeySpec } from '../keys/key-spec.js';
import { KMSInternalException } from '../errors.js';
import { materialReadWith } from '../store/key-read-along.js';
import type { ServiceDependencies } from './services.js';

/** A symmetric encryption key's material: 32 bytes, an AES-256 key. */
export const SYMMETRIC_KEY_BYTES = 32;

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
  const record = await storedMaterial(deps, key, materialId);
  if (!record) return undefined;
  return deps.materials.getOrLoad(cacheKey, async () => unwrapStoredMaterial(deps, record));
}

/** Material version `materialId` of `key` as stored (wrapped): read with the key when it is current, else looked up. */
async function storedMaterial(deps: ServiceDependencies, key: KmsKey, materialId: string): Promise<KeyMaterial | undefined> {
  return materialReadWith(key, materialId) ?? deps.store.keys.getMaterial(key.arn, materialId);
}

/**
 * Cached material is found by key and version together, so a ciphertext naming one key and another key's
 * material version can never reach that material through the cache.
 */
export function materialCacheKey(keyArn: string, materialId: string): string {
  return `${keyArn}#${materialId}`;
}

/**
 * The first key material of a new key of any spec, by its key type: 32 random bytes (symmetric), an HMAC key as
 * long as its digest (HMAC), or a fresh key pair (asymmetric; RSA off the event loop). Secrets are stored
 * only wrapped by the root key, exactly like symmetric material; an asymmetric key's public key (DER SPKI)
 * is stored in clear beside it. The secret (or parsed private key) goes straight into its cache.
 */
export async function newKeyMaterial(deps: ServiceDependencies, keyArn: string, spec: KeySpec): Promise<KeyMaterial> {
  if (isSymmetric(spec)) return wrapSecretMaterial(deps, keyArn, SecretBytes.random(SYMMETRIC_KEY_BYTES));
  if (isHmacKeySpec(spec)) return wrapSecretMaterial(deps, keyArn, generateHmacKey(spec, randomBytes));
  const pair = await deps.keyPairs.generateKeyPair(spec);
  const version = { id: deps.newMaterialId(), createdAt: deps.now(), publicKey: pair.publicKey };
  try {
    const material = wrapMaterial(deps, keyArn, version, pair.privateKey);
    deps.privateKeys.set(materialCacheKey(keyArn, version.id), loadPrivateKey(pair.privateKey, spec));
    return material;
  } finally {
    pair.privateKey.wipe();
  }
}

function wrapSecretMaterial(deps: ServiceDependencies, keyArn: string, secret: SecretBytes): KeyMaterial {
  const material = wrapMaterial(deps, keyArn, { id: deps.newMaterialId(), createdAt: deps.now() }, secret);
  deps.materials.set(materialCacheKey(keyArn, material.id), secret);
  return material;
}

/**
 * The parsed private key of one material version of an asymmetric key, from the bounded handle cache, or
 * unwrapped with the root key and parsed (the PKCS#8 bytes are wiped straight after parsing).
 * @throws KMSInternalException when the version is missing or does not unwrap: never a caller's fault.
 */
export async function loadPrivateKeyHandle(
  deps: ServiceDependencies,
  key: KmsKey,
  materialId: string = currentMaterialOf(key),
): Promise<PrivateKeyHandle> {
  const cacheKey = materialCacheKey(key.arn, materialId);
  const cached = deps.privateKeys.get(cacheKey);
  if (cached) return cached;
  const record = await storedMaterial(deps, key, materialId);
  if (!record) throw new KMSInternalException(`key material of ${key.arn} is missing from the store`);
  return deps.privateKeys.getOrLoad(cacheKey, async () => {
    const pkcs8 = unwrapStoredMaterial(deps, record);
    try {
      return loadPrivateKey(pkcs8, key.spec);
    } finally {
      pkcs8.wipe();
    }
  });
}

/**
 * The public key of an asymmetric key's current material (GetPublicKey, Verify, Encrypt), without
 * unwrapping anything: from a cached private handle when there is one, otherwise parsed from the store.
 */
export async function loadPublicKeyHandle(deps: ServiceDependencies, key: KmsKey): Promise<PublicKeyHandle> {
  const materialId = currentMaterialOf(key);
  const cached = deps.privateKeys.get(materialCacheKey(key.arn, materialId));
  if (cached) return cached.publicKey;
  const record = await storedMaterial(deps, key, materialId);
  if (!record?.publicKey) throw new KMSInternalException(`public key of ${key.arn} is missing from the store`);
  return loadPublicKey(record.publicKey, key.spec);
}

/**
 * One secret as material version `id` of a key: wrapped by the root key with that key's own ARN in the AAD. A
 * multi-Region key's related keys each store every version this way, with the same id (ADR 0020).
 */
export function wrapMaterial(
  deps: Pick<ServiceDependencies, 'rootKey'>,
  keyArn: string,
  version: { readonly id: string; readonly createdAt: number; readonly rotationType?: RotationType; readonly publicKey?: Buffer },
  secret: SecretBytes,
): KeyMaterial {
  return {
    keyArn,
    id: version.id,
    createdAt: version.createdAt,
    ...(version.rotationType ? { rotationType: version.rotationType } : {}),
    wrapped: deps.rootKey.wrap(secret, buildMaterialAad(keyArn, version.id)),
    ...(version.publicKey ? { publicKey: version.publicKey } : {}),
  };
}

/** A stored material version of one key, re-wrapped as the same version of a related key (ReplicateKey). */
export function copyMaterialFor(deps: Pick<ServiceDependencies, 'rootKey'>, material: KeyMaterial, keyArn: string): KeyMaterial {
  const secret = unwrapStoredMaterial(deps, material);
  try {
    return wrapMaterial(deps, keyArn, material, secret);
  } finally {
    secret.wipe();
  }
}

/**
 * The plaintext of a stored material version. One that does not unwrap means a wrong root of trust or a corrupted
 * store: never a caller's error.
 */
function unwrapStoredMaterial(deps: Pick<ServiceDependencies, 'rootKey'>, material: KeyMaterial): SecretBytes {
  try {
    return deps.rootKey.unwrap(material.wrapped, buildMaterialAad(material.keyArn, material.id));
  } catch {
    throw new KMSInternalException(`key material of ${material.keyArn} cannot be unwrapped with this root key`);
  }
}

/** Forgets this process's cached plaintext of one material version (deleted, or its key deleted). */
export function forgetCachedMaterial(deps: ServiceDependencies, keyArn: string, materialId: string): void {
  deps.materials.delete(materialCacheKey(keyArn, materialId));
  deps.privateKeys.delete(materialCacheKey(keyArn, materialId));
}
