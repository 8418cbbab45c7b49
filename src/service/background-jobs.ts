import type { KmsKey } from '../keys/key.js';
import { deleteKeyForGood } from './deletion.js';
import { deleteExpiredMaterial } from './importing/delete-imported-material.js';
import { RotationNoLongerDue, rotateAutomatically } from './rotation.js';
import type { ServiceDependencies } from './services.js';

/** Work the service does on its own, recorded in the audit trail as AWS records it (`AwsServiceEvent`). */
export interface ServiceEvent {
  readonly eventName: 'RotateKey' | 'DeleteKey' | 'DeleteExpiredKeyMaterial';
  readonly key: KmsKey;
  readonly at: number;
}

/**
 * Runs every background job that is due: deletes keys whose waiting period is over, deletes imported key material
 * whose `ValidTo` has passed, rotates keys whose automatic rotation date has passed, and removes expired temporary
 * credentials. Safe to run on several nodes at once: key updates are guarded by the
 * key's revision, and a key found already handled is skipped. Returns what it did.
 */
export async function runDueJobs(
  deps: ServiceDependencies,
  onEvent: (event: ServiceEvent) => Promise<void> = async () => {},
): Promise<ServiceEvent[]> {
  const now = deps.now();
  // Expired temporary credentials are refused already; this only stops them from accumulating.
  await deps.store.identities.deleteExpiredAccessKeys(now);
  const done: ServiceEvent[] = [];
  // One key whose job fails (a custom key store's HSM out of reach) does not hold up the others; the first failure
  // is reported once they are done, and the key's job is tried again on the next run.
  let failure: { readonly error: unknown } | undefined;
  for (const key of await deps.store.keys.listDue(now)) {
    let event: ServiceEvent | undefined;
    try {
      event = await runJob(deps, key, now);
    } catch (error) {
      failure ??= { error };
      continue;
    }
    if (!event) continue;
    done.push(event);
    await onEvent(event);
  }
  if (failure) throw failure.error;
  return done;
}

async function runJob(deps: ServiceDependencies, key: KmsKey, now: number): Promise<ServiceEvent | undefined> {
  if (key.state === 'PendingDeletion' && key.deletionAt !== undefined && key.deletionAt <= now) {
    await deleteKeyForGood(deps, key);
    return { eventName: 'DeleteKey', key, at: now };
  }
  if (hasExpiredMaterial(key, now)) {
    const changed = await deleteExpiredMaterial(deps, key, now);
    return changed ? { eventName: 'DeleteExpiredKeyMaterial', key: changed, at: now } : undefined;
  }
  const next = key.rotation.nextRotationAt;
  // AWS does not rotate a disabled key; it rotates when the key is enabled again and the date has passed.
  if (key.state === 'Enabled' && key.rotation.enabled && next !== undefined && next <= now) {
    try {
      return { eventName: 'RotateKey', key: await rotateAutomatically(deps, key), at: now };
    } catch (error) {
      if (error instanceof RotationNoLongerDue) return undefined; // another process rotated it first
      throw error;
    }
  }
  return undefined;
}

function hasExpiredMaterial(key: KmsKey, now: number): boolean {
  return (key.importedMaterials ?? []).some(
    (entry) => entry.state === 'IMPORTED' && entry.validTo !== undefined && entry.validTo <= now,
  );
}

/** Runs `runDueJobs` every `intervalMs` until stopped; one run at a time. */
export function scheduleBackgroundJobs(
  run: () => Promise<unknown>,
  intervalMs: number,
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(run).catch(onError);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
