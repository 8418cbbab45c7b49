import { accountOperation } from '../operation.js';
import { listingWithMarkers, pageRequest, pagingMembers } from '../wire/paging.js';

/** Every key of the caller's account in the request's region, in every key state, by key id. */
export const ListKeys = accountOperation({
  name: 'ListKeys',
  action: 'kms:ListKeys',
  readOnly: true,
  async handle({ input, scope }, deps) {
    const request = pageRequest(input, { default: 100, max: 1000 });
    const page = await listingWithMarkers(() => deps.store.keys.list(scope, request));
    return {
      Keys: page.items.map((key) => ({ KeyId: key.id, KeyArn: key.arn })),
      ...pagingMembers(page),
    };
  },
});
