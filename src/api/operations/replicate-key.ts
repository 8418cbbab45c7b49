import { keyOperation } from '../operation.js';
import { validateNewKeyPolicy } from '../../auth/authorization/new-key-policy.js';
import { keyArn } from '../../keys/key.js';
import { replicateKey } from '../../service/multi-region/replicate-key.js';
import { validateNewTags } from '../../service/tags.js';
import { toKeyMetadata } from '../wire/key-metadata.js';
import { fromWireTags, toWireTags } from '../wire/tags.js';
import { requestedTags, stated } from '../wire/request-terms.js';

/**
 * Replicates a multi-Region primary into another region. Authorized as AWS documents it: kms:ReplicateKey on the
 * primary (its key policy), kms:CreateKey — and kms:TagResource when Tags are given — in the replica's region (IAM
 * policies: the replica does not exist yet, so no key policy can speak for it).
 */
export const ReplicateKey = keyOperation({
  name: 'ReplicateKey',
  action: 'kms:ReplicateKey',
  readOnly: false,
  terms: (input) => stated({ replicaRegion: input.ReplicaRegion }),
  // 'any': the service answers a replica, a disabled or a deleted primary with AWS's errors.
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async alsoAuthorize({ input, key }) {
    const newKey = { spec: key.spec, usage: key.usage, origin: key.origin, multiRegion: true };
    const tags = requestedTags(input.Tags);
    return [
      { action: 'kms:CreateKey', terms: stated({ newKey, tags, replicaRegion: input.ReplicaRegion }) },
      ...(input.Tags?.length ? [{ action: 'kms:TagResource', terms: stated({ tags }) }] : []),
    ];
  },
  async handle({ input, key, caller }, deps) {
    const replicaArn = keyArn({ accountId: key.accountId, region: input.ReplicaRegion }, key.id);
    if (input.Policy !== undefined) {
      await validateNewKeyPolicy({
        identities: deps.store.identities,
        caller,
        policy: input.Policy,
        keyArn: replicaArn,
        bypassPolicyLockoutSafetyCheck: input.BypassPolicyLockoutSafetyCheck === true,
      });
    }
    const tags = validateNewTags([], fromWireTags(input.Tags));
    const replica = await replicateKey(deps, key, {
      region: input.ReplicaRegion,
      description: input.Description ?? '',
      tags,
      ...(input.Policy !== undefined ? { policy: input.Policy } : {}),
    });
    const related = await deps.store.keys.listRelated(replica.accountId, replica.id);
    // As AWS answers (recorded): no CurrentKeyMaterialId yet, and ReplicaTags only when tags were given.
    const { CurrentKeyMaterialId: _notYet, ...metadata } = toKeyMetadata(replica, related);
    return {
      ReplicaKeyMetadata: metadata,
      ReplicaPolicy: replica.policy,
      ...(replica.tags.length > 0 ? { ReplicaTags: toWireTags(replica.tags) } : {}),
    };
  },
});
