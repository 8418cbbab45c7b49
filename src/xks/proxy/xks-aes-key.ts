import { GCM_IV_BYTES, openAesGcm, sealAesGcm, type AesGcmSealed, type ExternalAesGcmKey } from '../../crypto/aead.js';
import { ivPool } from '../../crypto/random-pool.js';
import { SecretBytes } from '../../crypto/secret-bytes.js';
import type { KmsKey } from '../../keys/key.js';
import { blobKeyInStore } from '../../service/custom-key-stores/store-keys.js';
import { loadMaterial } from '../../service/key-materials.js';
import type { XksCallContext } from './xks-call-context.js';
import { XksInternalException } from './xks-errors.js';

/**
 * The AES-256-GCM key of one material version of a Strongroom key, as the proxy uses it: raw AES-GCM with the
 * caller's AAD (ADR 0023, Decision 3), not Strongroom's ciphertext blob. The material is the key's own (unwrapped by
 * the root of trust, from the bounded cache) or, for a key in a custom key store, the key object in its token.
 */
export interface XksAesKey {
  readonly materialId: string;
  /** Seals under a fresh random 12-byte IV, with a 16-byte tag. */
  seal(plaintext: Buffer, aad: Buffer): AesGcmSealed;
  /** Opens, or throws `DecryptionFailedError` and releases nothing. */
  open(iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): SecretBytes;
}

/** How many leading bytes of the material id an answer's `ciphertextMetadata` holds (of at most 20). */
export const METADATA_BYTES = 16;

/**
 * The `ciphertextMetadata` of what `materialId` sealed: its first 16 bytes (of 32). It names the version for Decrypt
 * after a rotation, and is authenticated as part of the AAD (`externalKeyAad`), so a changed one fails to decrypt.
 * It is public in every ciphertext blob anyway, and a 128-bit prefix of a random id names one version.
 */
export function ciphertextMetadataOf(materialId: string): Buffer {
  return Buffer.from(materialId.slice(0, METADATA_BYTES * 2), 'hex');
}

/** The key's current material version. */
export async function currentAesKey(context: XksCallContext, key: KmsKey): Promise<XksAesKey> {
  const materialId = key.currentMaterialId;
  const aesKey = materialId === undefined ? undefined : await aesKeyOf(context, key, materialId);
  if (aesKey === undefined) throw new XksInternalException('The key has no usable current key material.');
  return aesKey;
}

/**
 * The material version whose id begins with `metadata`, or undefined (then the ciphertext is none of this key's).
 * The current version is tried first; older ones are listed only for ciphertexts made before a rotation.
 */
export async function aesKeyNamedBy(context: XksCallContext, key: KmsKey, metadata: Buffer): Promise<XksAesKey | undefined> {
  if (metadata.length !== METADATA_BYTES) return undefined;
  const prefix = metadata.toString('hex');
  if (key.currentMaterialId?.startsWith(prefix)) return aesKeyOf(context, key, key.currentMaterialId);
  // A key in a custom key store has one version, its token object.
  if (key.customKeyStoreId !== undefined) return undefined;
  const version = (await context.deps.store.keys.listMaterials(key.arn)).find((material) => material.id.startsWith(prefix));
  return version === undefined ? undefined : aesKeyOf(context, key, version.id);
}

async function aesKeyOf(context: XksCallContext, key: KmsKey, materialId: string): Promise<XksAesKey | undefined> {
  if (key.customKeyStoreId !== undefined) {
    return materialId === key.currentMaterialId ? tokenAesKey(materialId, await blobKeyInStore(context.deps, key)) : undefined;
  }
  const material = await loadMaterial(context.deps, key, materialId);
  return material === undefined ? undefined : ownAesKey(materialId, material);
}

/** Material in this process: cached, so never wiped here. */
function ownAesKey(materialId: string, material: SecretBytes): XksAesKey {
  return {
    materialId,
    seal: (plaintext, aad) => sealAesGcm(material, plaintext, aad),
    open: (iv, ciphertext, tag, aad) => openAesGcm(material, iv, ciphertext, tag, aad),
  };
}

function tokenAesKey(materialId: string, token: ExternalAesGcmKey): XksAesKey {
  return {
    materialId,
    seal: (plaintext, aad) => token.sealWithIv(ivPool.take(GCM_IV_BYTES), plaintext, aad),
    open: (iv, ciphertext, tag, aad) => token.open(iv, ciphertext, tag, aad),
  };
}
