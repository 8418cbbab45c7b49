import type { KeySpec, KeyUsage } from './key-spec.js';
import type { KeyState } from './key-state.js';

/** Domain types of a KMS key. Times are epoch milliseconds. */

export type KeyOrigin = 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
export type KeyManager = 'CUSTOMER' | 'AWS';

/** Where a key lives: keys are regional and belong to one account. */
export interface KeyScope {
  readonly accountId: string;
  readonly region: string;
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface RotationSettings {
  /** Whether automatic rotation is on. */
  readonly enabled: boolean;
  /** The automatic rotation period (90–2560 days); kept when rotation is disabled, as AWS does. */
  readonly periodInDays: number;
  /** When automatic rotation next runs (present only when enabled). */
  readonly nextRotationAt?: number;
  /** When an on-demand rotation last ran. */
  readonly lastOnDemandRotationAt?: number;
}

/**
 * A KMS key: immutable identity (id, ARN, spec, usage, origin), mutable metadata and the id of the key
 * material version that new ciphertexts use. `revision` increases with every stored change and guards
 * concurrent updates (a store refuses an update whose expected revision is not the stored one).
 */
export interface KmsKey extends KeyScope {
  readonly id: string;
  readonly arn: string;
  readonly spec: KeySpec;
  readonly usage: KeyUsage;
  readonly origin: KeyOrigin;
  readonly manager: KeyManager;
  readonly multiRegion: boolean;
  readonly createdAt: number;
  readonly description: string;
  readonly state: KeyState;
  /** When the key is deleted for good (present only while `PendingDeletion`). */
  readonly deletionAt?: number;
  readonly pendingWindowInDays?: number;
  /** The key policy document, as the caller gave it (or the default policy). */
  readonly policy: string;
  readonly tags: readonly Tag[];
  readonly rotation: RotationSettings;
  /** The material version new ciphertexts use; absent only for a key of origin EXTERNAL before its first import. */
  readonly currentMaterialId?: string;
  /**
   * Multi-Region keys only: the region of the primary key (this key's own region when it is the primary). The
   * related keys are the keys of the same account and id in other regions (`KeyRepository.listRelated`).
   */
  readonly primaryRegion?: string;
  /**
   * Keys in a custom key store only (origin AWS_CLOUDHSM: the key's material is an object in the store's token named
   * by the key id, ADR 0022; origin EXTERNAL_KEY_STORE: the key's outer layer is its external key, ADR 0023). Immutable.
   */
  readonly customKeyStoreId?: string;
  /** Keys of origin EXTERNAL_KEY_STORE only: the external key's id at the store's proxy (`XksKeyId`). Immutable. */
  readonly xksKeyId?: string;
  /** Keys of origin EXTERNAL only: every material version imported or awaited, oldest first. */
  readonly importedMaterials?: readonly ImportedMaterial[];
  readonly revision: number;
}

export type ExpirationModel = 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';

/**
 * What a key of origin EXTERNAL knows of one material version, kept in the key's record because it outlives the
 * material: after DeleteImportedKeyMaterial (or expiry) the wrapped bytes are gone from the store (the material
 * row is deleted) while the id stays listed, `PENDING_IMPORT`, until the same material is imported again.
 */
export interface ImportedMaterial {
  readonly id: string;
  readonly state: 'IMPORTED' | 'PENDING_IMPORT';
  /** Present while `IMPORTED`. */
  readonly expirationModel?: ExpirationModel;
  /** When the material expires (epoch ms), for `KEY_MATERIAL_EXPIRES`. */
  readonly validTo?: number;
  readonly description?: string;
  /** Imported as NEW_KEY_MATERIAL and not yet made current by RotateKeyOnDemand. */
  readonly pendingRotation?: boolean;
  /** When RotateKeyOnDemand made it current (absent for the first material). */
  readonly rotatedAt?: number;
}

/** The current material id of a key that has material; the pipeline lets only such keys reach cryptography. */
export function currentMaterialOf(key: KmsKey): string {
  if (key.currentMaterialId === undefined) throw new Error(`${key.arn} has no key material`);
  return key.currentMaterialId;
}

/** Whether a key is the primary of a multi-Region key (false for single-Region keys). */
export function isPrimaryKey(key: KmsKey): boolean {
  return key.primaryRegion === key.region;
}

/** Whether a key is a replica of a multi-Region key. */
export function isReplicaKey(key: KmsKey): boolean {
  return key.primaryRegion !== undefined && key.primaryRegion !== key.region;
}

export type RotationType = 'AUTOMATIC' | 'ON_DEMAND';

/**
 * One version of a key's material. Rotation appends a version; a ciphertext names the version that made it.
 * The material itself is stored only wrapped by the root key (`wrapped`); see `crypto/root-key.ts`.
 */
export interface KeyMaterial {
  readonly keyArn: string;
  readonly id: string;
  readonly createdAt: number;
  /** How this version came to be: absent for the key's first material. */
  readonly rotationType?: RotationType;
  readonly wrapped: Buffer;
  /** For asymmetric keys: the public key, DER SubjectPublicKeyInfo (not secret, stored in clear). */
  readonly publicKey?: Buffer;
}

export interface Alias extends KeyScope {
  /** The full alias name, `alias/...`. */
  readonly name: string;
  readonly targetKeyId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Multi-Region key ids: `mrk-` and 32 hex digits (single-Region keys have UUIDs). */
export function isMultiRegionKeyId(keyId: string): boolean {
  return /^mrk-[0-9a-f]{32}$/.test(keyId);
}

/**
 * The ARN of the key related to `arn` in `region`: for a multi-Region key, the same ARN in the other region; for
 * any other key, `arn` itself (a single-Region key has no relative elsewhere).
 * @example relatedKeyArn('arn:aws:kms:us-east-1:111122223333:key/mrk-1234…', 'eu-west-1'); // …:eu-west-1:…
 */
export function relatedKeyArn(arn: string, region: string): string {
  if (!arn.includes(':key/mrk-')) return arn; // most keys: no regular expression on the Decrypt path
  const match = /^(arn:[^:]+:kms:)[^:]+(:\d{12}:key\/)(mrk-[0-9a-f]{32})$/.exec(arn);
  return match ? `${match[1]}${region}${match[2]}${match[3]}` : arn;
}

export function keyArn(scope: KeyScope, keyId: string): string {
  return `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyId}`;
}

export function aliasArn(scope: KeyScope, aliasName: string): string {
  return `arn:aws:kms:${scope.region}:${scope.accountId}:${aliasName}`;
}
