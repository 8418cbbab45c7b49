import { keyOperation } from '../operation.js';
import { pageOfList, pageRequest, pagingMembers } from '../wire/paging.js';
import { toWireTags } from '../wire/tags.js';

/** A key's tags in the order they were added, paged (AWS: at most 50 a page, the default). */
export const ListResourceTags = keyOperation({
  name: 'ListResourceTags',
  action: 'kms:ListResourceTags',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input, key }) {
    const page = pageOfList('tags', key.tags, pageRequest(input, { default: 50, max: 50 }));
    return { Tags: toWireTags(page.items), ...pagingMembers(page) };
  },
});
