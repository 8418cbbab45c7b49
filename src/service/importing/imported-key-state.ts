import type { ImportedMaterial, KmsKey } from '../../keys/key.js';
import type { KeyState } from '../../keys/key-state.js';

/**
 * The state of a key of origin EXTERNAL once its imported material is as `entries` says: usable (`Enabled`, or
 * the `Disabled` it was) only while every version it has made current is imported — a ciphertext may name any of
 * them, as AWS's "import all of the key materials to change its state to Enabled" says; otherwise `PendingImport`.
 * A material awaiting rotation does not count yet. Deletion states are left as they are.
 */
export function stateWithImports(key: KmsKey, entries: readonly ImportedMaterial[]): KeyState {
  if (key.state === 'PendingDeletion' || key.state === 'PendingReplicaDeletion') return key.state;
  const inUse = entries.filter((entry) => !entry.pendingRotation);
  const complete = inUse.length > 0 && inUse.every((entry) => entry.state === 'IMPORTED');
  if (!complete) return 'PendingImport';
  return key.state === 'PendingImport' || key.state === 'Creating' ? 'Enabled' : key.state;
}
