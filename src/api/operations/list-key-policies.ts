import { keyOperation } from '../operation.js';
import { DEFAULT_POLICY_NAME } from '../wire/policy-name.js';
import { pageOfList, pageRequest, pagingMembers } from '../wire/paging.js';

/** The names of a key's policies: always just `default`, paged like any listing. */
export const ListKeyPolicies = keyOperation({
  name: 'ListKeyPolicies',
  action: 'kms:ListKeyPolicies',
  readOnly: true,
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'any' },
  async handle({ input }) {
    const page = pageOfList('policies', [DEFAULT_POLICY_NAME], pageRequest(input, { default: 100, max: 1000 }));
    return { PolicyNames: page.items, ...pagingMembers(page) };
  },
});
