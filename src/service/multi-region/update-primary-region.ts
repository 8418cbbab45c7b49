import { KMSInvalidStateException, NotFoundException, UnsupportedOperationException } from '../../errors.js';
import { isReplicaKey, keyArn, type KmsKey } from '../../keys/key.js';
import { mutateRelatedKeys } from '../key-mutation.js';
import type { ServiceDependencies } from '../services.js';

/**
 * UpdatePrimaryRegion: the replica in `region` becomes the primary and the primary a replica — every related key
 * learns the new primary region in one transaction, so no reader sees two primaries or none. AWS shows both keys
 * `Updating` for a few seconds meanwhile; here the change is complete when it is acknowledged.
 * Resolves with every related key as stored.
 */
export async function updatePrimaryRegion(deps: ServiceDependencies, primary: KmsKey, region: string): Promise<KmsKey[]> {
  if (!primary.multiRegion) throw new UnsupportedOperationException(`${primary.arn} is not a multi-region key.`);
  if (isReplicaKey(primary)) throw new UnsupportedOperationException(`${primary.arn} is not a multi-region primary key.`);
  return mutateRelatedKeys(deps, primary, (related) => {
    const target = related.find((key) => key.region === region);
    if (target === undefined) {
      throw new NotFoundException(`Key '${keyArn({ accountId: primary.accountId, region }, primary.id)}' does not exist`);
    }
    for (const key of [target, related.find((candidate) => candidate.arn === primary.arn)!]) {
      if (key.state === 'PendingDeletion' || key.state === 'PendingReplicaDeletion') {
        throw new KMSInvalidStateException(`${key.arn} is pending deletion.`);
      }
    }
    return related.map((key) => ({ key, fields: { primaryRegion: region } }));
  });
}
