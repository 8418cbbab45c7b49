import type { DataKeyPairSpec } from '../crypto/key-generation/key-pair-generator.js';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import { InvalidKeyUsageException, UnsupportedOperationException } from '../errors.js';
import type { KmsKey } from '../keys/key.js';
import { KEY_SPECS } from '../keys/key-spec.js';
import type { ServiceDependencies } from './services.js';
import { encryptWithKey, type EncryptionContext } from './symmetric-encryption.js';

/** A fresh data key pair: the private key (PKCS#8 DER, owned by the caller), its ciphertext and the public key. */
export interface GeneratedDataKeyPair {
  readonly privateKey: SecretBytes;
  /** The private key encrypted under the KMS key: an ordinary ciphertext blob that Decrypt opens. */
  readonly privateKeyCiphertext: Buffer;
  /** DER SubjectPublicKeyInfo. */
  readonly publicKey: Buffer;
  readonly materialId: string;
}

/**
 * Generates a key pair of `spec` outside any KMS key (RSA from the generator's pool, never on the event
 * loop) and encrypts its PKCS#8 private key under a symmetric encryption key, bound to `encryptionContext`,
 * exactly as GenerateDataKey encrypts a data key. The caller returns the plaintext private key
 * (GenerateDataKeyPair) or wipes it (…WithoutPlaintext).
 *
 * @throws InvalidKeyUsageException for a KMS key that does not wrap data keys (any but a symmetric encryption key).
 * @throws UnsupportedOperationException for a spec this server does not offer (SM2: see docs/kms-operations.md).
 * @example const pair = await generateDataKeyPair(deps, key, 'ECC_NIST_P256', { purpose: 'signing' });
 */
export async function generateDataKeyPair(
  deps: ServiceDependencies,
  key: KmsKey,
  spec: DataKeyPairSpec,
  encryptionContext: EncryptionContext,
): Promise<GeneratedDataKeyPair> {
  if (!KEY_SPECS[key.spec].wrapsDataKeys) {
    throw new InvalidKeyUsageException('You cannot generate a data key pair with an asymmetric CMK');
  }
  if (!KEY_SPECS[spec].supportedHere) {
    throw new UnsupportedOperationException(`KeyPairSpec ${spec} is not supported in this region.`);
  }
  const pair = await deps.keyPairs.generateDataKeyPair(spec);
  try {
    const { ciphertext, materialId } = await encryptWithKey(deps, key, pair.privateKey.expose(), encryptionContext);
    return { privateKey: pair.privateKey, privateKeyCiphertext: ciphertext, publicKey: pair.publicKey, materialId };
  } catch (error) {
    pair.privateKey.wipe();
    throw error;
  }
}
