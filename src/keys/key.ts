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
  readonly currentMaterialId: string;
  readonly revision: number;
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

export function keyArn(scope: KeyScope, keyId: string): string {
  return `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyId}`;
}

export function aliasArn(scope: KeyScope, aliasName: string): string {
  return `arn:aws:kms:${scope.region}:${scope.accountId}:${aliasName}`;
}
