import { presentedKeyState, type CustomKeyStore } from '../../keys/custom-key-store.js';
import { isPrimaryKey, type KmsKey } from '../../keys/key.js';
import { algorithmsFor, KEY_SPECS } from '../../keys/key-spec.js';
import type { CustomerMasterKeySpec, KeyMetadata, MultiRegionConfiguration } from '../generated/kms-shapes.js';

/**
 * The wire `KeyMetadata` of a key, with every field AWS returns for a key of its kind. A multi-Region key's
 * `MultiRegionConfiguration` needs its related keys (`KeyRepository.listRelated`, the key itself among them);
 * the operations that return metadata pass them. A key in a custom key store needs its store (`keyStoreOf`): its
 * state is `Unavailable` while the store is not connected, and the metadata names the store and its cluster.
 */
export function toKeyMetadata(key: KmsKey, related: readonly KmsKey[] = [key], keyStore?: CustomKeyStore): KeyMetadata {
  const state = presentedKeyState(key, keyStore);
  const algorithms = algorithmsFor(key.spec, key.usage);
  const current = key.importedMaterials?.find((entry) => entry.id === key.currentMaterialId);
  const imported = current?.state === 'IMPORTED' ? current : undefined;
  return {
    AWSAccountId: key.accountId,
    KeyId: key.id,
    Arn: key.arn,
    CreationDate: new Date(key.createdAt),
    Enabled: state === 'Enabled',
    Description: key.description,
    KeyUsage: key.usage,
    KeyState: state,
    ...(key.deletionAt !== undefined ? { DeletionDate: new Date(key.deletionAt) } : {}),
    ...(imported?.validTo !== undefined ? { ValidTo: new Date(imported.validTo) } : {}),
    Origin: key.origin,
    ...(keyStore ? { CustomKeyStoreId: keyStore.id } : {}),
    ...(keyStore?.type === 'AWS_CLOUDHSM' ? { CloudHsmClusterId: keyStore.clusterId } : {}),
    ...(key.xksKeyId !== undefined ? { XksKeyConfiguration: { Id: key.xksKeyId } } : {}),
    ...(imported?.expirationModel !== undefined ? { ExpirationModel: imported.expirationModel } : {}),
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
    ...(key.multiRegion ? { MultiRegionConfiguration: multiRegionConfiguration(key, related) } : {}),
    ...(key.pendingWindowInDays !== undefined ? { PendingDeletionWindowInDays: key.pendingWindowInDays } : {}),
    // AWS names the current material only of keys whose material it manages (origins AWS_KMS and EXTERNAL).
    ...(KEY_SPECS[key.spec].rotatable && key.currentMaterialId !== undefined && (key.origin === 'AWS_KMS' || key.origin === 'EXTERNAL')
      ? { CurrentKeyMaterialId: key.currentMaterialId }
      : {}),
  };
}

/** The primary and the replicas as this key's record names them (its own `primaryRegion` decides which is which). */
function multiRegionConfiguration(key: KmsKey, related: readonly KmsKey[]): MultiRegionConfiguration {
  const keys = related.some((candidate) => candidate.arn === key.arn) ? related : [key, ...related];
  const primary = keys.find((candidate) => candidate.region === key.primaryRegion);
  return {
    MultiRegionKeyType: isPrimaryKey(key) ? 'PRIMARY' : 'REPLICA',
    ...(primary ? { PrimaryKey: { Arn: primary.arn, Region: primary.region } } : {}),
    ReplicaKeys: keys
      .filter((candidate) => candidate.region !== key.primaryRegion)
      .map((replica) => ({ Arn: replica.arn, Region: replica.region })),
  };
}
