/**
 * What development mode's reset deletes (`Store.clearState`), the same on every backend, children before parents:
 * with the grants and material versions gone first, deleting the keys finds nothing to cascade to, and with the keys
 * gone no key names a custom key store. Accounts, root access keys, settings, the registered HSM clusters and the XKS
 * credentials (the operator's configuration, like the settings) are not listed: they stay, and so does the IAM user
 * each XKS credential acts as (its inline policies go with every other).
 */
export const STATE_RESET_DELETIONS = {
  grants: 'DELETE FROM grants',
  materials: 'DELETE FROM key_materials',
  aliases: 'DELETE FROM aliases',
  keys: 'DELETE FROM keys',
  keyStores: 'DELETE FROM custom_key_stores',
  policies: 'DELETE FROM iam_inline_policies',
  accessKeys: "DELETE FROM access_keys WHERE principal_type <> 'Root'",
  users: `DELETE FROM iam_users WHERE NOT EXISTS (SELECT 1 FROM xks_credentials AS credential
    WHERE credential.account_id = iam_users.account_id AND lower(credential.user_name) = lower(iam_users.user_name))`,
  roles: 'DELETE FROM iam_roles',
} as const;

export type StateResetDeletion = keyof typeof STATE_RESET_DELETIONS;
