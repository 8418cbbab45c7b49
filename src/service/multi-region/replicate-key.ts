import { AlreadyExistsException, DisabledException, KMSInvalidStateException, UnsupportedOperationException } from '../../errors.js';
import { isReplicaKey, keyArn, type ImportedMaterial, type KmsKey, type Tag } from '../../keys/key.js';
import { defaultKeyPolicy } from '../../keys/default-key-policy.js';
import { DuplicateError } from '../../store/store.js';
import { copyMaterialFor } from '../key-materials.js';
import { mutateRelatedKeys } from '../key-mutation.js';
import type { ServiceDependencies } from '../services.js';

export interface ReplicaParameters {
  readonly region: string;
  readonly description: string;
  readonly policy?: string;
  readonly tags: readonly Tag[];
}

/**
 * ReplicateKey: a replica of a multi-Region primary in another region of the same account, with the same id and
 * the shared properties (spec, usage, origin, rotation setting, and every material version with its id, each
 * re-wrapped with the replica's own ARN as AAD) and its own description, policy and tags. Created complete in
 * one transaction with the primary's revision advanced, so a rotation of the primary running at the same time
 * either includes the new replica or is retried (ADR 0020). A replica of an imported key has no material until
 * the same material is imported into it.
 */
export async function replicateKey(deps: ServiceDependencies, primary: KmsKey, params: ReplicaParameters): Promise<KmsKey> {
  assertReplicable(primary);
  const replicaScope = { accountId: primary.accountId, region: params.region };
  try {
    const [, replica] = await mutateRelatedKeys(deps, primary, async (related) => {
      const current = related.find((key) => key.arn === primary.arn)!;
      assertReplicable(current);
      if (related.some((key) => key.region === params.region)) {
        throw new AlreadyExistsException(`${keyArn(replicaScope, primary.id)} already exists.`);
      }
      const newReplica = replicaOf(deps, current, params);
      // Revision 0: the write makes it 1, which creates the key (KeyRepository.write).
      const materials = (await deps.store.keys.listMaterials(current.arn)).map((material) =>
        copyMaterialFor(deps, material, newReplica.arn),
      );
      return [
        { key: current, fields: {} },
        { key: newReplica, fields: {}, addMaterials: current.origin === 'EXTERNAL' ? [] : materials },
      ];
    });
    return replica!;
  } catch (error) {
    if (error instanceof DuplicateError) throw new AlreadyExistsException(`${keyArn(replicaScope, primary.id)} already exists.`);
    throw error;
  }
}

function assertReplicable(key: KmsKey): void {
  if (!key.multiRegion) throw new UnsupportedOperationException(`${key.arn} is not a multi-region key.`);
  if (isReplicaKey(key)) throw new UnsupportedOperationException(`${key.arn} is not a multi-region primary key.`);
  if (key.state === 'Disabled') throw new DisabledException(`${key.arn} is disabled.`);
  if (key.state === 'PendingDeletion' || key.state === 'PendingReplicaDeletion') {
    throw new KMSInvalidStateException(`${key.arn} is pending deletion.`);
  }
}

function replicaOf(deps: ServiceDependencies, primary: KmsKey, params: ReplicaParameters): KmsKey {
  const scope = { accountId: primary.accountId, region: params.region };
  const imported = primary.origin === 'EXTERNAL';
  return {
    ...scope,
    id: primary.id,
    arn: keyArn(scope, primary.id),
    spec: primary.spec,
    usage: primary.usage,
    origin: primary.origin,
    manager: primary.manager,
    multiRegion: true,
    primaryRegion: primary.region,
    createdAt: deps.now(),
    description: params.description,
    state: imported ? 'PendingImport' : 'Enabled',
    policy: params.policy ?? defaultKeyPolicy(primary.accountId),
    tags: params.tags,
    rotation: primary.rotation,
    ...(primary.currentMaterialId !== undefined ? { currentMaterialId: primary.currentMaterialId } : {}),
    // The replica awaits each of the primary's imported versions, to be imported into it with the same material.
    ...(imported ? { importedMaterials: (primary.importedMaterials ?? []).map(awaited) } : {}),
    revision: 0,
  };
}

function awaited(entry: ImportedMaterial): ImportedMaterial {
  return {
    id: entry.id,
    state: 'PENDING_IMPORT',
    ...(entry.description !== undefined ? { description: entry.description } : {}),
    ...(entry.pendingRotation ? { pendingRotation: true } : {}),
    ...(entry.rotatedAt !== undefined ? { rotatedAt: entry.rotatedAt } : {}),
  };
}
