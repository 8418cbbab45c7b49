import type { KeyMaterial } from '../../keys/key.js';
import type { SeedMaterial } from './seed-document.js';
import { seededMaterialId } from './seeded-material.js';

/** What a file's material versions mean for a key that exists: versions to add, or why they cannot be. */
export type MaterialComparison =
  | { readonly kind: 'add'; readonly materials: readonly SeedMaterial[] }
  | { readonly kind: 'conflict'; readonly path: string; readonly reason: string };

/**
 * Compares the versions a file gives (oldest first) with those a key has (oldest first), by material id —
 * derived from the material, so equal ids are equal material (`seeded-material.ts`).
 *
 * The key may have more than the file: rotation adds versions, and a file written before them is still
 * true. The file may have more than the key, at its end only: that is how a file says "rotate to this";
 * those versions are added and the last becomes current. Anything else — a version of the file missing
 * before one the key has, versions in another order, none of the file's versions at all (the key was made
 * with other material) — is a conflict: material never changes, and ciphertexts depend on it.
 *
 * @example compareMaterialVersions('arn:...', stored, fileVersions); // { kind: 'add', materials: [] } when in step
 */
export function compareMaterialVersions(
  keyArn: string,
  stored: readonly KeyMaterial[],
  given: readonly SeedMaterial[],
): MaterialComparison {
  const storedPosition = new Map(stored.map((material, position) => [material.id, position]));
  const positions = given.map((version) => storedPosition.get(seededMaterialId(keyArn, version.material)));
  const lastKnown = positions.findLastIndex((position) => position !== undefined);
  const first = given[0];
  if (first === undefined) return { kind: 'add', materials: [] };
  if (lastKnown === -1) {
    return { kind: 'conflict', path: first.path, reason: `key ${keyArn} exists with other key material (key material never changes)` };
  }
  let previous = -1;
  for (const [index, position] of positions.slice(0, lastKnown + 1).entries()) {
    const path = given[index]?.path ?? first.path;
    if (position === undefined) {
      return { kind: 'conflict', path, reason: `key ${keyArn} exists without this version; new versions can only be added after the last one it has` };
    }
    if (position < previous) return { kind: 'conflict', path, reason: `key ${keyArn} has this version in another order` };
    previous = position;
  }
  return { kind: 'add', materials: given.slice(lastKnown + 1) };
}
