import { NotFoundException } from '../../errors.js';

/** A KMS key has exactly one key policy, and its name is `default`. */
export const DEFAULT_POLICY_NAME = 'default';

/**
 * Checks a request's `PolicyName` (absent means `default`). AWS answers any other name with
 * `NotFoundException`: there is no such policy.
 */
export function assertDefaultPolicyName(policyName: string | undefined): void {
  if (policyName !== undefined && policyName !== DEFAULT_POLICY_NAME) {
    throw new NotFoundException(`No such policy exists: ${policyName}. The only key policy name is default.`);
  }
}
