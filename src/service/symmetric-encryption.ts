import {
  openCiphertextBlob,
  parseCiphertextBlob,
  sealCiphertextBlob,
  type BlobKey,
  type ParsedCiphertextBlob,
} from '../crypto/ciphertext-blob.js';
import { InvalidCiphertextException, InvalidKeyUsageException, KmsError } from '../errors.js';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import { currentMaterialOf, relatedKeyArn, type KmsKey } from '../keys/key.js';
import { DEFAULT_ENCRYPTION_ALGORITHM, offersAlgorithm, type EncryptionAlgorithm } from '../keys/key-spec.js';
import { blobKeyInStore } from './custom-key-stores/store-keys.js';
import { decryptWithExternalKeyLayer, encryptWithExternalKeyLayer } from './external-key-stores/external-key-layer.js';
import { loadMaterial } from './key-materials.js';
import type { ServiceDependencies } from './services.js';

export type EncryptionContext = Readonly<Record<string, string>>;

/**
 * Encrypts under the key's current material; the blob names the key and the material version. A key in an external
 * key store adds its external key's layer inside the blob (external-key-stores/external-key-layer.ts).
 */
export async function encryptWithKey(
  deps: ServiceDependencies,
  key: KmsKey,
  plaintext: Buffer,
  encryptionContext: EncryptionContext,
): Promise<{ ciphertext: Buffer; materialId: string }> {
  if (key.origin === 'EXTERNAL_KEY_STORE') return encryptWithExternalKeyLayer(deps, key, plaintext, encryptionContext);
  const materialId = currentMaterialOf(key);
  const material = await blobKeyOf(deps, key, materialId);
  if (!material) throw new Error(`current material of ${key.arn} is missing from the store`);
  const ciphertext = sealCiphertextBlob({ keyArn: key.arn, materialId, material, plaintext, encryptionContext });
  return { ciphertext, materialId };
}

/**
 * A ciphertext as a request carries it, read once. `blob` is its header when the bytes are a ciphertext blob of
 * this server, and undefined when they are not: raw RSA-OAEP output, or bytes that are nothing at all. Which of
 * the two only the key can tell, so a failed read is not an error yet; whoever needs a blob refuses then.
 */
export interface ReadCiphertext {
  readonly bytes: Buffer;
  readonly blob: ParsedCiphertextBlob | undefined;
}

/** Reads `bytes` once; the result goes to every later step that looks at the ciphertext. */
export function readCiphertext(bytes: Buffer): ReadCiphertext {
  try {
    return { bytes, blob: parseCiphertextBlob(bytes) };
  } catch {
    return { bytes, blob: undefined };
  }
}

/**
 * The key a symmetric ciphertext names, or `InvalidCiphertextException` for anything not a blob of ours. A blob of
 * a multi-Region key names the related key in `region`, the request's: any related key decrypts it (ADR 0020).
 */
export function keyArnNamedBy(ciphertext: ReadCiphertext, region: string): string {
  if (!ciphertext.blob) throw invalidCiphertext();
  return relatedKeyArn(ciphertext.blob.keyArn, region);
}

/** Whether a blob was made by `key` or by a key related to it (another region's copy of a multi-Region key). */
export function madeByKeyOrRelated(blob: ParsedCiphertextBlob, key: KmsKey): boolean {
  return blob.keyArn === key.arn || (key.multiRegion && relatedKeyArn(blob.keyArn, key.region) === key.arn);
}

/**
 * The algorithm of a symmetric key's request: the default when the request names none, else one the key's
 * spec offers (a symmetric key offers only `SYMMETRIC_DEFAULT`).
 * @throws InvalidKeyUsageException naming the algorithm and the key otherwise.
 */
export function symmetricAlgorithm(key: KmsKey, requested: EncryptionAlgorithm | undefined): EncryptionAlgorithm {
  const algorithm = requested ?? DEFAULT_ENCRYPTION_ALGORITHM;
  if (!offersAlgorithm(key.spec, 'encryptionAlgorithms', algorithm)) {
    throw new InvalidKeyUsageException(`The encryption algorithm ${algorithm} is not compatible with the key spec of ${key.arn}.`);
  }
  return algorithm;
}

/** Decrypts a blob made by `key`, with the same encryption context it was made with. */
export async function decryptWithKey(
  deps: ServiceDependencies,
  key: KmsKey,
  blob: ParsedCiphertextBlob,
  encryptionContext: EncryptionContext,
): Promise<{ plaintext: SecretBytes; materialId: string }> {
  if (key.origin === 'EXTERNAL_KEY_STORE') {
    return { plaintext: await decryptWithExternalKeyLayer(deps, key, blob, encryptionContext), materialId: blob.materialId };
  }
  const material = await blobKeyOf(deps, key, blob.materialId);
  if (!material) throw invalidCiphertext();
  try {
    return { plaintext: openCiphertextBlob(blob, material, encryptionContext), materialId: blob.materialId };
  } catch (error) {
    // An HSM that cannot be reached is its own answer (KeyUnavailableException), not a bad ciphertext.
    if (error instanceof KmsError && !(error instanceof InvalidCiphertextException)) throw error;
    throw invalidCiphertext();
  }
}

/**
 * The AES key of one material version of a symmetric key: unwrapped material (cached), or for a key in a custom
 * key store its object in the token, which holds the key's one version. Undefined when the key has no such version.
 */
async function blobKeyOf(deps: ServiceDependencies, key: KmsKey, materialId: string): Promise<BlobKey | undefined> {
  if (key.customKeyStoreId === undefined) return loadMaterial(deps, key, materialId);
  return materialId === key.currentMaterialId ? blobKeyInStore(deps, key) : undefined;
}

/** AWS says nothing about why a ciphertext was refused. */
function invalidCiphertext(): InvalidCiphertextException {
  return new InvalidCiphertextException('');
}
