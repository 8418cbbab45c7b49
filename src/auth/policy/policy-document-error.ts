/**
 * Why a policy document was refused, independent of which API refuses it: KMS maps it to
 * MalformedPolicyDocumentException / LimitExceededException, IAM to MalformedPolicyDocument / LimitExceeded.
 */
export type PolicyDocumentProblem = 'malformed' | 'too-large' | 'invalid-principal';

/**
 * A neutral policy-validation error; its message says what is wrong, never quoting secret material (a
 * policy holds none). Thrown for identity and trust policies; `parsePolicy` maps it for key policies.
 */
export class PolicyDocumentError extends Error {
  constructor(
    readonly problem: PolicyDocumentProblem,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyDocumentError';
  }
}

/** Throws a `malformed` PolicyDocumentError unless `condition` holds. */
export function needs(condition: boolean, message: string): asserts condition {
  if (!condition) throw new PolicyDocumentError('malformed', message);
}
