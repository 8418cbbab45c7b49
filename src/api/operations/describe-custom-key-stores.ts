import { describeKeyStores } from '../../service/custom-key-stores/key-store-management.js';
import { accountOperation } from '../operation.js';
import { toCustomKeyStoreEntry } from '../wire/custom-key-store-entry.js';
import { listingWithMarkers, pageRequest, pagingMembers } from '../wire/paging.js';

/** One custom key store by id or by name, or every store of the caller's account in the request's region. */
export const DescribeCustomKeyStores = accountOperation({
  name: 'DescribeCustomKeyStores',
  action: 'kms:DescribeCustomKeyStores',
  readOnly: true,
  async handle({ input, scope }, deps) {
    const filter = {
      ...(input.CustomKeyStoreId !== undefined ? { id: input.CustomKeyStoreId } : {}),
      ...(input.CustomKeyStoreName !== undefined ? { name: input.CustomKeyStoreName } : {}),
    };
    const request = pageRequest(input, { default: 1000, max: 1000 });
    const page = await listingWithMarkers(() => describeKeyStores(deps, scope, filter, request));
    return { CustomKeyStores: page.items.map(toCustomKeyStoreEntry), ...pagingMembers(page) };
  },
});
