import { keyOperation } from '../operation.js';
import { mutateKey } from '../../service/key-mutation.js';
import { validateNewTags } from '../../service/tags.js';
import { fromWireTags } from '../wire/tags.js';
import { requestedTags, stated } from '../wire/request-terms.js';

/** Adds tags to a key; a tag whose key exists gets the new value. */
export const TagResource = keyOperation({
  name: 'TagResource',
  action: 'kms:TagResource',
  readOnly: false,
  terms: (input) => stated({ tags: requestedTags(input.Tags) }),
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'manage' },
  async handle({ input, key }, deps) {
    const added = fromWireTags(input.Tags);
    // Merged inside the change so a concurrent TagResource is re-read, not overwritten.
    await mutateKey(deps, key, (current) => ({ fields: { tags: validateNewTags(current.tags, added) } }));
    return {};
  },
});
