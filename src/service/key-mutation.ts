import { ConflictException, NotFoundException } from '../errors.js';
import type { KeyMaterial, KmsKey } from '../keys/key.js';
import { RevisionConflictError } from '../store/store.js';
import type { ServiceDependencies } from './services.js';

/** Every mutable field of a key, each replaceable — or removable with `undefined`. */
type KeyFields = {
  -readonly [P in Exclude<keyof KmsKey, 'id' | 'arn' | 'accountId' | 'region' | 'revision'>]?: KmsKey[P] | undefined;
};

/** A change to a key: the fields to replace, and optionally a material version to append (rotation). */
export interface KeyChange {
  readonly fields: KeyFields;
  readonly newMaterial?: KeyMaterial;
}

const MAX_ATTEMPTS = 5;

/**
 * Applies `change` to a key with optimistic concurrency: when another request (or another node) changed the
 * key first, the key is read again and `change` re-run on the fresh copy, so its own checks see current state.
 * `change` may throw an AWS error to refuse. Resolves with the stored key once the change is durable.
 * Fields set to `undefined` in `fields` are removed from the key.
 */
export async function mutateKey(
  deps: ServiceDependencies,
  key: KmsKey,
  change: (current: KmsKey) => KeyChange,
): Promise<KmsKey> {
  let current = key;
  for (let attempt = 1; ; attempt++) {
    const { fields, newMaterial } = change(current);
    const next = withFields(current, fields);
    try {
      await deps.store.keys.update(next, newMaterial);
      return next;
    } catch (error) {
      if (!(error instanceof RevisionConflictError)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new ConflictException(`${key.arn} is being modified concurrently; retry.`);
      const fresh = await deps.store.keys.get(key, key.id);
      if (!fresh) throw new NotFoundException(`Key '${key.arn}' does not exist`);
      current = fresh;
    }
  }
}

function withFields(key: KmsKey, fields: KeyChange['fields']): KmsKey {
  const next: Record<string, unknown> = { ...key, ...fields, revision: key.revision + 1 };
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) delete next[name];
  }
  return next as unknown as KmsKey;
}
