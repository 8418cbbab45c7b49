import { keyOperation } from '../operation.js';
import { updatePrimaryRegion } from '../../service/multi-region/update-primary-region.js';
import { stated } from '../wire/request-terms.js';

/**
 * Makes the replica in PrimaryRegion the primary and the primary a replica. Called on the current primary;
 * kms:UpdatePrimaryRegion is needed on both keys, as AWS documents.
 */
export const UpdatePrimaryRegion = keyOperation({
  name: 'UpdatePrimaryRegion',
  action: 'kms:UpdatePrimaryRegion',
  readOnly: false,
  terms: (input) => stated({ primaryRegion: input.PrimaryRegion }),
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'manage' },
  async alsoAuthorize({ input, key }, deps) {
    const replica = await deps.store.keys.get({ accountId: key.accountId, region: input.PrimaryRegion }, key.id);
    if (replica === undefined || replica.arn === key.arn) return [];
    return [{ action: 'kms:UpdatePrimaryRegion', terms: stated({ primaryRegion: input.PrimaryRegion }), key: replica }];
  },
  async handle({ input, key }, deps) {
    await updatePrimaryRegion(deps, key, input.PrimaryRegion);
    return {};
  },
});
