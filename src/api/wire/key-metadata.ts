import type { KmsKey } from '../../keys/key.js';
import { algorithmsFor, KEY_SPECS } from '../../keys/key-spec.js';
import type { CustomerMasterKeySpec, KeyMetadata } from '../generated/kms-shapes.js';

/** The wire `KeyMetadata` of a key, with every field AWS returns for a key of its kind. */
export function toKeyMetadata(key: KmsKey): KeyMetadata {
  const algorithms = algorithmsFor(key.spec, key.usage);
  return {
    AWSAccountId: key.accountId,
    KeyId: key.id,
    Arn: key.arn,
    CreationDate: new Date(key.createdAt),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.usage,
    KeyState: key.state,
    ...(key.deletionAt !== undefined ? { DeletionDate: new Date(key.deletionAt) } : {}),
    Origin: key.origin,
    KeyManager: key.manager,
    // Deprecated twin of KeySpec; AWS still returns it, and its enum lags behind KeySpec's.
    CustomerMasterKeySpec: key.spec as CustomerMasterKeySpec,
    KeySpec: key.spec,
    ...(algorithms.encryptionAlgorithms.length ? { EncryptionAlgorithms: [...algorithms.encryptionAlgorithms] } : {}),
    ...(algorithms.signingAlgorithms.length ? { SigningAlgorithms: [...algorithms.signingAlgorithms] } : {}),
    ...(algorithms.keyAgreementAlgorithms.length
      ? { KeyAgreementAlgorithms: [...algorithms.keyAgreementAlgorithms] }
      : {}),
    ...(algorithms.macAlgorithms.length ? { MacAlgorithms: [...algorithms.macAlgorithms] } : {}),
    MultiRegion: key.multiRegion,
    ...(key.pendingWindowInDays !== undefined ? { PendingDeletionWindowInDays: key.pendingWindowInDays } : {}),
    ...(KEY_SPECS[key.spec].rotatable ? { CurrentKeyMaterialId: key.currentMaterialId } : {}),
  };
}
