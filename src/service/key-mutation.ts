import { ConflictException, NotFoundException } from '../errors.js';
import type { KeyMaterial, KmsKey } from '../keys/key.js';
import { RevisionConflictError } from '../store/store.js';
import type { ServiceDependencies } from './services.js';

/** Every mutable field of a key, each replaceable — or removable with `undefined`. */
export type KeyFields = {
  -readonly [P in Exclude<keyof KmsKey, 'id' | 'arn' | 'accountId' | 'region' | 'revision'>]?: KmsKey[P] | undefined;
};

/** A change to a key: the fields to replace, a material version to append (rotation), material ids to delete. */
export interface KeyChange {
  readonly fields: KeyFields;
  readonly newMaterial?: KeyMaterial;
  readonly removeMaterialIds?: readonly string[];
}

/** One key's part of a change to several related keys (`mutateRelatedKeys`). */
export interface RelatedKeyChange {
  readonly key: KmsKey;
  readonly fields: KeyFields;
  readonly addMaterials?: readonly KeyMaterial[];
  readonly removeMaterialIds?: readonly string[];
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
  return oneAtATime(key, () => retryingConflicts(
    key,
    async () => {
      const { fields, newMaterial, removeMaterialIds } = change(current);
      const next = withFields(current, fields);
      if (removeMaterialIds === undefined) await deps.store.keys.update(next, newMaterial);
      else await deps.store.keys.write([{ key: next, ...(newMaterial ? { addMaterials: [newMaterial] } : {}), removeMaterialIds }]);
      return next;
    },
    async () => {
      current = await reread(deps, key);
    },
  ));
}

/**
 * Applies a change to a multi-Region key's related keys together (`KeyRepository.write`: one transaction), with
 * the same optimistic retry as `mutateKey`: `change` is given every related key as stored now (the named key among
 * them, in region order) and says what each of them becomes. Resolves
 * with the stored keys in the order `change` returned them. A key `change` returns with revision 0 is created
 * (the write gives it revision 1).
 */
export async function mutateRelatedKeys(
  deps: ServiceDependencies,
  key: KmsKey,
  change: (related: readonly KmsKey[]) => readonly RelatedKeyChange[] | Promise<readonly RelatedKeyChange[]>,
): Promise<KmsKey[]> {
  return oneAtATime(key, () => retryingConflicts(key, async () => {
    // Only a multi-Region key has relatives: a single-Region key sharing its id with a key of another region
    // (chosen ids in development mode) is another key.
    const related = key.multiRegion ? await deps.store.keys.listRelated(key.accountId, key.id) : [await reread(deps, key)];
    if (!related.some((candidate) => candidate.arn === key.arn)) throw notFound(key);
    const changes = await change(related);
    const next = changes.map((one) => withFields(one.key, one.fields));
    await deps.store.keys.write(
      changes.map((one, index) => ({
        key: next[index]!,
        ...(one.addMaterials ? { addMaterials: one.addMaterials } : {}),
        ...(one.removeMaterialIds ? { removeMaterialIds: one.removeMaterialIds } : {}),
      })),
    );
    return next;
  }));
}

/** The changes of this process waiting for each key, by account and key id (a multi-Region key's relatives share it). */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs the changes this process makes to one key one after another. Optimistic concurrency stays the guard between
 * processes and nodes; within a process, queueing keeps a burst of writes to one key (a hundred grants at once) from
 * colliding with each other on every attempt, which spent the retry budget of the last ones under load. A change
 * never waits for itself: `change` callbacks do not change the same key again.
 */
async function oneAtATime<T>(key: KmsKey, run: () => Promise<T>): Promise<T> {
  const name = `${key.accountId}/${key.id}`;
  const before = queues.get(name) ?? Promise.resolve();
  const mine = before.then(run, run);
  const settled = mine.then(() => undefined, () => undefined);
  queues.set(name, settled);
  try {
    return await mine;
  } finally {
    if (queues.get(name) === settled) queues.delete(name);
  }
}

/**
 * Runs `attempt` again while it fails with a revision conflict, within the retry budget: after a random wait, then
 * `refresh` (reading the key afresh after the wait, not before it, so the retry starts from the newest copy).
 */
async function retryingConflicts<T>(
  key: KmsKey,
  attempt: () => Promise<T>,
  refresh: () => Promise<void> = async () => {},
): Promise<T> {
  const deadline = performance.now() + RETRY_BUDGET_MS; // real time: a test's clock may stand still
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof RevisionConflictError)) throw error;
      if (performance.now() >= deadline) throw new ConflictException(`${key.arn} is being modified concurrently; retry.`);
      // A random wait, growing with each attempt: writers racing on one key spread out instead of colliding again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attempts)));
      await refresh();
    }
  }
}

async function reread(deps: ServiceDependencies, key: KmsKey): Promise<KmsKey> {
  const fresh = await deps.store.keys.get(key, key.id);
  if (!fresh) throw notFound(key);
  return fresh;
}

function notFound(key: KmsKey): NotFoundException {
  return new NotFoundException(`Key '${key.arn}' does not exist`);
}

function withFields(key: KmsKey, fields: KeyFields): KmsKey {
  const next: Record<string, unknown> = { ...key, ...fields, revision: key.revision + 1 };
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) delete next[name];
  }
  return next as unknown as KmsKey;
}
