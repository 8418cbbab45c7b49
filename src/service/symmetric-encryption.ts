import {
  openCiphertextBlob,
  parseCiphertextBlob,
  sealCiphertextBlob,
  type ParsedCiphertextBlob,
} from '../crypto/ciphertext-blob.js';
import { InvalidCiphertextException } from '../errors.js';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import type { KmsKey } from '../keys/key.js';
import { loadMaterial } from './key-materials.js';
import type { ServiceDependencies } from './services.js';

export type EncryptionContext = Readonly<Record<string, string>>;

/** Encrypts under the key's current material; the blob names the key and the material version. */
export async function encryptWithKey(
  deps: ServiceDependencies,
  key: KmsKey,
  plaintext: Buffer,
  encryptionContext: EncryptionContext,
): Promise<{ ciphertext: Buffer; materialId: string }> {
  const material = await loadMaterial(deps, key, key.currentMaterialId);
  if (!material) throw new Error(`current material of ${key.arn} is missing from the store`);
  const ciphertext = sealCiphertextBlob({
    keyArn: key.arn,
    materialId: key.currentMaterialId,
    material,
    plaintext,
    encryptionContext,
  });
  return { ciphertext, materialId: key.currentMaterialId };
}

/** Reads a ciphertext blob's header, or throws `InvalidCiphertextException` for anything not ours. */
export function readCiphertextHeader(blob: Buffer): ParsedCiphertextBlob {
  try {
    return parseCiphertextBlob(blob);
  } catch {
    throw invalidCiphertext();
  }
}

/** Decrypts a blob made by `key`, with the same encryption context it was made with. */
export async function decryptWithKey(
  deps: ServiceDependencies,
  key: KmsKey,
  blob: ParsedCiphertextBlob,
  encryptionContext: EncryptionContext,
): Promise<{ plaintext: SecretBytes; materialId: string }> {
  const material = await loadMaterial(deps, key, blob.materialId);
  if (!material) throw invalidCiphertext();
  try {
    return { plaintext: openCiphertextBlob(blob, material, encryptionContext), materialId: blob.materialId };
  } catch {
    throw invalidCiphertext();
  }
}

/** AWS says nothing about why a ciphertext was refused. */
function invalidCiphertext(): InvalidCiphertextException {
  return new InvalidCiphertextException('');
}
