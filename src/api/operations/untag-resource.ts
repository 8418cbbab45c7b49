import { keyOperation } from '../operation.js';
import { mutateKey } from '../../service/key-mutation.js';
import { removeTags } from '../../service/tags.js';

/** Removes tags by tag key; naming a tag the key does not have is not an error, as in AWS. */
export const UntagResource = keyOperation({
  name: 'UntagResource',
  action: 'kms:UntagResource',
  readOnly: false,
  terms: (input) => ({ removedTagKeys: input.TagKeys }),
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'manage' },
  async handle({ input, key }, deps) {
    await mutateKey(deps, key, (current) => ({ fields: { tags: removeTags(current.tags, input.TagKeys) } }));
    return {};
  },
});
