import { isReplicaKey, type ImportedMaterial, type KmsKey, type RotationSettings, type Tag } from '../../keys/key.js';

/**
 * The stored form of a KMS key: its full record as JSON with a `schemaVersion`, so the shape can evolve
 * without rewriting every row at once — a record is upgraded when it is loaded (`UPGRADES`) and written
 * back in the current version on its next change.
 *
 * Fields are copied by name in both directions: nothing an object happens to carry beyond `KmsKey` reaches
 * the disk, and optional fields absent on the way in are absent (not `undefined`-valued) on the way out.
 */
export const KEY_RECORD_VERSION = 1;

/**
 * Version 1 of the stored key record (the current one). Times are epoch milliseconds. `primaryRegion` and
 * `importedMaterials` are optional members added without a new version: a record without them reads as before.
 */
interface KeyRecordV1 extends Omit<KmsKey, 'tags' | 'rotation'> {
  readonly schemaVersion: 1;
  readonly tags: readonly Tag[];
  readonly rotation: RotationSettings;
}

/**
 * Upgrades from each older version to the next, keyed by the version they read. Empty while version 1 is
 * the only one; version 2 adds `1: (v1) => v2` here and bumps `KEY_RECORD_VERSION`.
 */
const UPGRADES: Readonly<Record<number, (record: Record<string, unknown>) => Record<string, unknown>>> =
  Object.freeze({});

/** The JSON text stored for `key`. */
export function serializeKey(key: KmsKey): string {
  const record: KeyRecordV1 = { schemaVersion: KEY_RECORD_VERSION, ...copyKey(key) };
  return JSON.stringify(record);
}

/** The key a stored record describes, upgraded to the current record version. */
export function deserializeKey(json: string): KmsKey {
  let record = JSON.parse(json) as Record<string, unknown>;
  for (;;) {
    const version = record['schemaVersion'];
    if (version === KEY_RECORD_VERSION) break;
    const upgrade = typeof version === 'number' ? UPGRADES[version] : undefined;
    if (upgrade === undefined) {
      throw new Error(`stored key record has unknown schema version ${String(version)}`);
    }
    record = upgrade(record);
  }
  return copyKey(record as unknown as KeyRecordV1);
}

function copyKey(key: KmsKey): KmsKey {
  return {
    id: key.id,
    arn: key.arn,
    accountId: key.accountId,
    region: key.region,
    spec: key.spec,
    usage: key.usage,
    origin: key.origin,
    manager: key.manager,
    multiRegion: key.multiRegion,
    createdAt: key.createdAt,
    description: key.description,
    state: key.state,
    ...(key.deletionAt === undefined ? {} : { deletionAt: key.deletionAt }),
    ...(key.pendingWindowInDays === undefined ? {} : { pendingWindowInDays: key.pendingWindowInDays }),
    policy: key.policy,
    tags: key.tags.map((tag) => ({ key: tag.key, value: tag.value })),
    rotation: copyRotation(key.rotation),
    ...(key.currentMaterialId === undefined ? {} : { currentMaterialId: key.currentMaterialId }),
    ...(key.primaryRegion === undefined ? {} : { primaryRegion: key.primaryRegion }),
    ...(key.importedMaterials === undefined ? {} : { importedMaterials: key.importedMaterials.map(copyImported) }),
    ...(key.customKeyStoreId === undefined ? {} : { customKeyStoreId: key.customKeyStoreId }),
    ...(key.xksKeyId === undefined ? {} : { xksKeyId: key.xksKeyId }),
    revision: key.revision,
  };
}

function copyImported(material: ImportedMaterial): ImportedMaterial {
  return {
    id: material.id,
    state: material.state,
    ...(material.expirationModel === undefined ? {} : { expirationModel: material.expirationModel }),
    ...(material.validTo === undefined ? {} : { validTo: material.validTo }),
    ...(material.description === undefined ? {} : { description: material.description }),
    ...(material.pendingRotation ? { pendingRotation: true } : {}),
    ...(material.rotatedAt === undefined ? {} : { rotatedAt: material.rotatedAt }),
  };
}

function copyRotation(rotation: RotationSettings): RotationSettings {
  return {
    enabled: rotation.enabled,
    periodInDays: rotation.periodInDays,
    ...(rotation.nextRotationAt === undefined ? {} : { nextRotationAt: rotation.nextRotationAt }),
    ...(rotation.lastOnDemandRotationAt === undefined
      ? {}
      : { lastOnDemandRotationAt: rotation.lastOnDemandRotationAt }),
  };
}

/**
 * A `keys` row's values, in column order: arn, account, region, id, state, deletion, rotation and material expiry
 * times, revision, record, custom key store, external key. The last two are immutable: an update sets the columns
 * before them and never those.
 */
export type KeyColumns = [
  string, string, string, string, string, number | null, number | null, number | null, number, string, string | null,
  string | null,
];

export const KEY_COLUMN_NAMES =
  'arn, account_id, region, id, state, deletion_at, next_rotation_at, material_expires_at, revision, record, ' +
  'custom_key_store_id, xks_key_id';

/** The values of a key's row: the record, and beside it the columns the stores look keys up and schedule by. */
export function keyColumns(key: KmsKey): KeyColumns {
  return [
    key.arn,
    key.accountId,
    key.region,
    key.id,
    key.state,
    key.deletionAt ?? null,
    // A replica rotates with its primary, never on its own schedule (its settings are the primary's, copied).
    isReplicaKey(key) ? null : key.rotation.nextRotationAt ?? null,
    materialExpiresAt(key),
    key.revision,
    serializeKey(key),
    // Beside the record as well, so that the database checks the reference and the external key's uniqueness.
    key.customKeyStoreId ?? null,
    key.xksKeyId ?? null,
  ];
}

/** When the key's earliest imported material expires, or null when none does. */
function materialExpiresAt(key: KmsKey): number | null {
  let earliest: number | null = null;
  for (const material of key.importedMaterials ?? []) {
    if (material.state !== 'IMPORTED' || material.validTo === undefined) continue;
    if (earliest === null || material.validTo < earliest) earliest = material.validTo;
  }
  return earliest;
}
