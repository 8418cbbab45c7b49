import { keyOperation } from '../operation.js';
import { keyStoreOf } from '../../service/custom-key-stores/store-keys.js';
import { toKeyMetadata } from '../wire/key-metadata.js';
import { stated } from '../wire/request-terms.js';

export const DescribeKey = keyOperation({
  name: 'DescribeKey',
  action: 'kms:DescribeKey',
  readOnly: true,
  terms: (input) => stated({ grantTokens: input.GrantTokens }),
  key: { reference: (input) => input.KeyId, acceptsAlias: true, states: 'any' },
  async handle({ key }, deps) {
    const related = key.multiRegion ? await deps.store.keys.listRelated(key.accountId, key.id) : [key];
    return { KeyMetadata: toKeyMetadata(key, related, await keyStoreOf(deps, key)) };
  },
});
