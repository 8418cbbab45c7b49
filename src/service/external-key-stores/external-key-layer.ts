import { beginCiphertextBlob, ciphertextBlobAad, openCiphertextBlob, type ParsedCiphertextBlob } from '../../crypto/ciphertext-blob.js';
import type { SecretBytes } from '../../crypto/secret-bytes.js';
import { InvalidCiphertextException, KMSInternalException, KMSInvalidStateException } from '../../errors.js';
import type { ExternalKeyStore } from '../../keys/custom-key-store.js';
import { currentMaterialOf, type KmsKey } from '../../keys/key.js';
import { XksCallFailure } from '../../xks/xks-client.js';
import { MAX_CIPHERTEXT_METADATA_BYTES, XKS_IV_BYTES, XKS_TAG_BYTES } from '../../xks/xks-wire.js';
import { keyStoreOf } from '../custom-key-stores/store-keys.js';
import { loadMaterial } from '../key-materials.js';
import type { ServiceDependencies } from '../services.js';
import { decryptWithExternalKey, encryptWithExternalKey, type ExternalCiphertext } from './xks-proxy-calls.js';
import { EXTERNAL_KEY_STORE_NOT_CONNECTED, PROXY_RETURNED_INVALID_CIPHERTEXT, xksFailureException } from './xks-failures.js';

/**
 * Double encryption of keys in external key stores (ADR 0023, Decision 5). The blob is an ordinary version-1
 * ciphertext blob of the key (docs/ciphertext-format.md), sealed with the key's Strongroom material; what it seals
 * is not the plaintext but the external key's ciphertext of it, made by the proxy under the blob's own AAD (header
 * and encryption context):
 *
 *   envelope (sealed by the blob):  01 | ivLength (u8) | iv | metadataLength (u8) | metadata | tag (16) | ciphertext
 *
 * Strongroom's material alone yields only the envelope; the external key alone never sees the blob's layer. Both are
 * needed, as at AWS.
 */

const ENVELOPE_VERSION = 1;

/** Encrypts under a key of origin EXTERNAL_KEY_STORE: the external key first, then the key's own material. */
export async function encryptWithExternalKeyLayer(
  deps: ServiceDependencies,
  key: KmsKey,
  plaintext: Buffer,
  encryptionContext: Readonly<Record<string, string>>,
): Promise<{ ciphertext: Buffer; materialId: string }> {
  const store = await connectedExternalKeyStoreOf(deps, key);
  const materialId = currentMaterialOf(key);
  const material = await loadMaterial(deps, key, materialId);
  if (!material) throw new KMSInternalException(`current material of ${key.arn} is missing from the store`);
  const blob = beginCiphertextBlob({ keyArn: key.arn, materialId, encryptionContext });
  const external = await callingProxy(() => encryptWithExternalKey(deps, store, externalKeyOf(key), plaintext, blob.aad));
  return { ciphertext: blob.seal(material, encodeEnvelope(external)), materialId };
}

/** Decrypts a blob of a key of origin EXTERNAL_KEY_STORE: the key's own material first, then the external key. */
export async function decryptWithExternalKeyLayer(
  deps: ServiceDependencies,
  key: KmsKey,
  blob: ParsedCiphertextBlob,
  encryptionContext: Readonly<Record<string, string>>,
): Promise<SecretBytes> {
  const store = await connectedExternalKeyStoreOf(deps, key);
  const material = await loadMaterial(deps, key, blob.materialId);
  if (!material) throw new InvalidCiphertextException('');
  let envelope: SecretBytes;
  try {
    envelope = openCiphertextBlob(blob, material, encryptionContext);
  } catch {
    throw new InvalidCiphertextException('');
  }
  try {
    const external = decodeEnvelope(envelope.expose());
    return await callingProxy(() => decryptWithExternalKey(deps, store, externalKeyOf(key), external, ciphertextBlobAad(blob, encryptionContext)));
  } finally {
    envelope.wipe();
  }
}

/** The store of a key in an external key store, which must be connected (`KMSInvalidStateException` otherwise). */
async function connectedExternalKeyStoreOf(deps: ServiceDependencies, key: KmsKey): Promise<ExternalKeyStore> {
  const store = await keyStoreOf(deps, key);
  if (store?.type !== 'EXTERNAL_KEY_STORE') throw new KMSInternalException(`${key.arn} is not in an external key store`);
  if (store.connectionState !== 'CONNECTED') throw new KMSInvalidStateException(EXTERNAL_KEY_STORE_NOT_CONNECTED);
  return store;
}

function externalKeyOf(key: KmsKey): { arn: string; xksKeyId: string } {
  if (key.xksKeyId === undefined) throw new KMSInternalException(`${key.arn} has no external key`);
  return { arn: key.arn, xksKeyId: key.xksKeyId };
}

/** A proxy call, its failures answered as AWS answers them in cryptographic operations. */
async function callingProxy<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof XksCallFailure) throw xksFailureException(error, 'cryptography');
    throw error;
  }
}

function encodeEnvelope(external: ExternalCiphertext): Buffer {
  const metadata = external.ciphertextMetadata ?? Buffer.alloc(0);
  return Buffer.concat([
    Buffer.from([ENVELOPE_VERSION, external.initializationVector.length]),
    external.initializationVector,
    Buffer.from([metadata.length]),
    metadata,
    external.authenticationTag,
    external.ciphertext,
  ]);
}

/**
 * The external ciphertext an envelope holds. The envelope was authenticated by the blob's AES-GCM, so a malformed
 * one was made malformed by whoever wrote it: the answer is the specification's "invalid ciphertext".
 */
function decodeEnvelope(envelope: Buffer): ExternalCiphertext {
  const invalid = () => new KMSInvalidStateException(PROXY_RETURNED_INVALID_CIPHERTEXT);
  if (envelope[0] !== ENVELOPE_VERSION || envelope.length < 2) throw invalid();
  const ivLength = envelope[1]!;
  const metadataAt = 2 + ivLength;
  const metadataLength = envelope[metadataAt] ?? -1;
  const tagAt = metadataAt + 1 + metadataLength;
  const ciphertextAt = tagAt + XKS_TAG_BYTES;
  if (!XKS_IV_BYTES.includes(ivLength) || metadataLength < 0 || metadataLength > MAX_CIPHERTEXT_METADATA_BYTES || ciphertextAt > envelope.length) {
    throw invalid();
  }
  return {
    initializationVector: Buffer.from(envelope.subarray(2, metadataAt)),
    ...(metadataLength > 0 ? { ciphertextMetadata: Buffer.from(envelope.subarray(metadataAt + 1, tagAt)) } : {}),
    authenticationTag: Buffer.from(envelope.subarray(tagAt, ciphertextAt)),
    ciphertext: Buffer.from(envelope.subarray(ciphertextAt)),
  };
}
