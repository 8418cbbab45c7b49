import { randomBytes, randomUUID } from 'node:crypto';
import type { RootKey } from '../crypto/root-key.js';
import type { MaterialCache } from '../keys/material-cache.js';
import type { Store } from '../store/store.js';

/**
 * What the service layer needs from the outside world, passed in explicitly so tests can replace any of it
 * (a fixed clock, seeded ids, a faulty store).
 */
export interface ServiceDependencies {
  readonly store: Store;
  readonly rootKey: RootKey;
  readonly materials: MaterialCache;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** A new key id (a UUID). Seeded in deterministic development set-ups. */
  readonly newKeyId: () => string;
  /** A new key material id: 64 lowercase hex characters. */
  readonly newMaterialId: () => string;
}

export function defaultIdSources(): Pick<ServiceDependencies, 'newKeyId' | 'newMaterialId'> {
  return {
    newKeyId: () => randomUUID(),
    newMaterialId: () => randomBytes(32).toString('hex'),
  };
}

export const DAY_MS = 24 * 60 * 60 * 1000;
