import { KmsError } from '../../errors.js';

/**
 * The errors of AWS's query-protocol services (IAM, STS) that the KMS catalogue in `src/errors.ts` lacks,
 * with the codes and HTTP statuses of the IAM and STS models. They are `KmsError`s, so the query endpoint
 * renders them like every other AWS error. Messages follow AWS's wording.
 */
function define(code: string, status: number): new (message: string) => KmsError {
  const named = {
    [code]: class extends KmsError {
      constructor(message: string) {
        super(code, message, status);
      }
    },
  };
  return named[code] as new (message: string) => KmsError;
}

/** "User with name bob already exists." */
export const EntityAlreadyExists = define('EntityAlreadyExists', 409);
/** "The user with name bob cannot be found." */
export const NoSuchEntity = define('NoSuchEntity', 404);
/** "Cannot delete entity, must delete policies first." */
export const DeleteConflict = define('DeleteConflict', 409);
/** A policy document that does not parse or breaks the grammar. */
export const MalformedPolicyDocument = define('MalformedPolicyDocument', 400);
/** A quota (access keys per user, policy size) would be exceeded. */
export const LimitExceeded = define('LimitExceeded', 409);
/** A parameter fails its constraint ("1 validation error detected: ..."). */
export const ValidationError = define('ValidationError', 400);
/** IAM's and STS's authorization failure (KMS's is `AccessDeniedException`). */
export const AccessDenied = define('AccessDenied', 403);

/**
 * AWS's message for one failed parameter constraint, e.g.
 * `1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy
 * regular expression pattern: [\w+=,.@-]+`.
 */
export function validationError(member: string, value: string | undefined, constraint: string): KmsError {
  const shown = value === undefined ? 'null' : `'${value}'`;
  return new ValidationError(`1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}
