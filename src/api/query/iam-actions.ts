import type { QueryAction } from './query-action.js';
import { ACCESS_KEY_ACTIONS } from './iam/access-key-actions.js';
import { ROLE_ACTIONS } from './iam/role-actions.js';
import { ROLE_POLICY_ACTIONS, USER_POLICY_ACTIONS } from './iam/inline-policy-actions.js';
import { USER_ACTIONS } from './iam/user-actions.js';

export { IAM_NAMESPACE } from './iam/iam-wire.js';

/**
 * The IAM query-protocol actions Strongroom serves (SigV4 service `iam`): users, access keys, roles and
 * inline policies of users and roles — what `aws iam ...`, SDKs and Terraform use to manage principals.
 * Every action works on the caller's own account and is authorized by `iam:<Action>` (root: always).
 */
export const IAM_ACTIONS: ReadonlyArray<readonly [string, QueryAction]> = [
  ...USER_ACTIONS,
  ...ACCESS_KEY_ACTIONS,
  ...USER_POLICY_ACTIONS,
  ...ROLE_ACTIONS,
  ...ROLE_POLICY_ACTIONS,
];
