import type { Caller } from '../auth/caller.js';
import { AccessDeniedException, type KmsError } from '../errors.js';
import type { KeyScope } from '../keys/key.js';

/** The account field of an ARN (`arn:<partition>:<service>:<region>:<account>:...`), whatever its service. */
const ARN_ACCOUNT = /^arn:[^:]*:[^:]*:[^:]*:([^:]*):/;

/**
 * Whether a key reference (`KeyId`, `TargetKeyId`, a ciphertext's or grant token's key ARN, ...) names a key or
 * alias of another account than the caller's. Decided from the text alone, before anything is looked up, so
 * that the answer cannot depend on whether the key exists. Key ids and alias names always name the caller's.
 *
 * @example
 *   namesAnotherAccount('arn:aws:kms:us-east-1:444455556666:key/1234', { accountId: '111122223333', region }); // true
 *   namesAnotherAccount('alias/payments', scope); // false
 */
export function namesAnotherAccount(reference: string, scope: KeyScope): boolean {
  const account = ARN_ACCOUNT.exec(reference)?.[1];
  return account !== undefined && account !== scope.accountId;
}

/**
 * The one answer to a caller who may not use a key of another account — whether that key exists, is named by
 * key ARN or alias ARN, or the caller's request fails some other check on it (a malformed grant token, no such
 * grant). It names the resource as the caller named it, never the key behind an alias, so it tells the caller
 * nothing the request did not already say, as docs/authorization.md#another-accounts-keys promises.
 *
 * @example
 *   throw foreignKeyDenied(caller, 'kms:Decrypt', 'arn:aws:kms:us-east-1:444455556666:key/1234');
 */
export function foreignKeyDenied(caller: Caller, action: string, reference: string): KmsError {
  return new AccessDeniedException(
    `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${reference} ` +
      `because no resource-based policy allows the ${action} action`,
  );
}
