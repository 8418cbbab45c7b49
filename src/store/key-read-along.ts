import type { KeyMaterial, KmsKey } from '../keys/key.js';

/**
 * What a backend read beside a key in the same statement, hence from the same snapshot: the stored row of its
 * current material version, and whether any grant names it. A request for a key this process has not read yet
 * then costs one query instead of three (key, material, grants): with 100,000 keys drawn at random nearly every
 * request is such a miss, and each autocommit read takes and releases SQLite's file locks (issue 19).
 *
 * Both stay exactly as fresh as the key they came with: material versions never change (deleting one changes the
 * key), and every grant change advances the key's revision in its transaction, so a key object read with no
 * grants has none at its revision. Kept beside the key object, not in it, so that it lives as long as that object
 * (a cached key is dropped as soon as anything in the store moves) and never reaches a record or an answer. A
 * copy of the key (an update in progress) has none, and its reader falls back to the store.
 */
export interface KeyReadAlong {
  /** The current material version as stored (wrapped); undefined when the key has none. */
  readonly currentMaterial: KeyMaterial | undefined;
  readonly hasGrants: boolean;
}

const readAlong = new WeakMap<KmsKey, KeyReadAlong>();

/** Remembers what was read with `key` (a backend, as it builds the key object) and returns the key. */
export function withReadAlong(key: KmsKey, along: KeyReadAlong): KmsKey {
  readAlong.set(key, along);
  return key;
}

/** Material version `materialId` of `key` as read with it, when that is its current version. */
export function materialReadWith(key: KmsKey, materialId: string): KeyMaterial | undefined {
  const material = readAlong.get(key)?.currentMaterial;
  return material?.id === materialId ? material : undefined;
}

/** Whether `key` was read together with the knowledge that no grant names it. */
export function readWithoutGrants(key: KmsKey): boolean {
  return readAlong.get(key)?.hasGrants === false;
}
