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

/**
 * How long a change keeps retrying before it gives up with ConflictException, which AWS's SDKs do not retry.
 * A fixed number of attempts was not enough: a hundred writers at once on one key from two nodes over PostgreSQL
 * (a commit there takes a few milliseconds) left a third of them refused after 5 attempts, most after 10.
 */
const RETRY_BUDGET_MS = 3_000;
/** The longest wait between attempts (ms): each waits a random time up to 2^attempt ms, capped here. */
const MAX_BACKOFF_MS = 100;

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
  const deadline = performance.now() + RETRY_BUDGET_MS; // real time: a test's clock may stand still
  for (let attempt = 1; ; attempt++) {
    const { fields, newMaterial } = change(current);
    const next = withFields(current, fields);
    try {
      await deps.store.keys.update(next, newMaterial);
      return next;
    } catch (error) {
      if (!(error instanceof RevisionConflictError)) throw error;
      if (performance.now() >= deadline) throw new ConflictException(`${key.arn} is being modified concurrently; retry.`);
      // A random wait, growing with each attempt: writers racing on one key spread out instead of colliding again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attempt)));
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
