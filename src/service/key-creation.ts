import { AlreadyExistsException, UnsupportedOperationException, ValidationException, XksKeyAlreadyInUseException } from '../errors.js';
import { keyArn, type KeyOrigin, type KeyScope, type KmsKey, type Tag } from '../keys/key.js';
import { KEY_SPECS, type KeySpec, type KeyUsage } from '../keys/key-spec.js';
import { defaultKeyPolicy } from '../keys/default-key-policy.js';
import { DuplicateError, MissingReferenceError } from '../store/store.js';
import { keyStoreNotFound } from './custom-key-stores/find-key-store.js';
import { checkStoreKeyRequest, makeMaterialInStore } from './custom-key-stores/store-key-creation.js';
import { checkExternalKeyForNewKey } from './external-key-stores/external-key-check.js';
import { newKeyMaterial } from './key-materials.js';
import { DEFAULT_ROTATION_PERIOD_DAYS } from './rotation.js';
import type { GivenMaterial } from './seeding/given-material.js';
import { wrapGivenMaterial } from './seeding/seeded-material.js';
import type { ServiceDependencies } from './services.js';

/**
 * A multi-Region key's id: `mrk-` and 32 hex digits, drawn from the node's key id source (a UUID without its
 * dashes) so that seeded, deterministic set-ups stay deterministic.
 */
export function multiRegionKeyId(deps: Pick<ServiceDependencies, 'newKeyId'>): string {
  return `mrk-${deps.newKeyId().replace(/-/g, '').toLowerCase()}`;
}

export interface NewKeyParameters {
  readonly spec: KeySpec;
  readonly usage: KeyUsage;
  readonly origin: KeyOrigin;
  readonly description: string;
  readonly policy?: string;
  readonly tags: readonly Tag[];
  readonly multiRegion: boolean;
  /** The custom key store to make the key in (Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE). */
  readonly customKeyStoreId?: string;
  /** The external key of a key in an external key store (Origin EXTERNAL_KEY_STORE). */
  readonly xksKeyId?: string;
  /** Material given for the key (LocalStack's `_custom_key_material_` in development mode) instead of new material. */
  readonly material?: GivenMaterial;
}

/**
 * Creates a customer managed key of any spec AWS offers (symmetric, HMAC, RSA, ECC, Ed25519, ML-DSA) with
 * its first key material; durable when this resolves. An RSA key pair comes from the node's generator pool
 * (never generated on the event loop).
 */
export async function createKey(
  deps: ServiceDependencies,
  scope: KeyScope,
  params: NewKeyParameters,
): Promise<KmsKey> {
  if (!KEY_SPECS[params.spec].usages.includes(params.usage)) {
    throw new ValidationException(
      `KeyUsage ${params.usage} is not compatible with KeySpec ${params.spec}`,
    );
  }
  checkStoreKeyRequest(params);
  if (!KEY_SPECS[params.spec].supportedHere) {
    // SM2: AWS offers it only in its China Regions, and Node's OpenSSL cannot do it as AWS does (key-spec.ts).
    throw new UnsupportedOperationException(`KeySpec ${params.spec} is not supported in this region.`);
  }
  const imported = params.origin === 'EXTERNAL';
  if (imported && !KEY_SPECS[params.spec].importable) {
    throw new UnsupportedOperationException(`KeySpec ${params.spec} does not support Origin EXTERNAL.`);
  }
  const id = deps.newKeyId();
  const arn = keyArn(scope, id);
  // A key in a CloudHSM key store has its material in the store's token; none is stored here. A key in an external
  // key store has material here too (the inner of its two layers) once its external key has been checked.
  const inStore = params.origin === 'AWS_CLOUDHSM' && params.customKeyStoreId !== undefined
    ? await makeMaterialInStore(deps, scope, id, params.customKeyStoreId)
    : undefined;
  if (params.origin === 'EXTERNAL_KEY_STORE' && params.customKeyStoreId !== undefined && params.xksKeyId !== undefined) {
    await checkExternalKeyForNewKey(deps, scope, params.customKeyStoreId, params.xksKeyId);
  }
  // A key for imported material has none until ImportKeyMaterial: it waits in PendingImport.
  const material = imported || inStore
    ? undefined
    : params.material
      ? wrapGivenMaterial(deps, arn, params.material)
      : await newKeyMaterial(deps, arn, params.spec);
  const key: KmsKey = {
    ...scope,
    id,
    arn,
    spec: params.spec,
    usage: params.usage,
    origin: params.origin,
    manager: 'CUSTOMER',
    multiRegion: params.multiRegion,
    ...(params.multiRegion ? { primaryRegion: scope.region } : {}),
    createdAt: deps.now(),
    description: params.description,
    state: imported ? 'PendingImport' : 'Enabled',
    policy: params.policy ?? defaultKeyPolicy(scope.accountId),
    tags: params.tags,
    rotation: { enabled: false, periodInDays: DEFAULT_ROTATION_PERIOD_DAYS },
    ...(material ? { currentMaterialId: material.id } : {}),
    ...(imported ? { importedMaterials: [] } : {}),
    ...(inStore ? { currentMaterialId: inStore.materialId } : {}),
    ...(params.customKeyStoreId !== undefined ? { customKeyStoreId: params.customKeyStoreId } : {}),
    ...(params.xksKeyId !== undefined ? { xksKeyId: params.xksKeyId } : {}),
    revision: 1,
  };
  try {
    await deps.store.keys.create(key, material);
  } catch (error) {
    await inStore?.discard();
    // The store was deleted between the check and the write (it was disconnected, then deleted, meanwhile).
    if (error instanceof MissingReferenceError) throw keyStoreNotFound(params.customKeyStoreId ?? '');
    // A key id is random, so a duplicate in an external key store is its external key, which another key has.
    if (error instanceof DuplicateError && params.xksKeyId !== undefined) {
      throw new XksKeyAlreadyInUseException(`The external key '${params.xksKeyId}' is already associated with a KMS key in this custom key store.`);
    }
    // Only a chosen key id (LocalStack's `_custom_id_`, development mode) can be taken already.
    if (error instanceof DuplicateError) throw new AlreadyExistsException(`A key with the id ${id} already exists.`);
    throw error;
  }
  return key;
}
