import { validationError } from '../../errors.js';

/**
 * The constraints of IAM's name, path and document parameters (IAM API reference, "Data Types"), checked
 * where a parameter enters: the query API and the CLI both call these.
 */
interface StringConstraint {
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  /** The pattern as AWS prints it in validation messages. */
  readonly shown: string;
}

const NAME = { pattern: /^[\w+=,.@-]+$/u, shown: '[\\w+=,.@-]+' } as const;

export const USER_NAME: StringConstraint = { min: 1, max: 64, ...NAME };
export const ROLE_NAME: StringConstraint = { min: 1, max: 64, ...NAME };
export const POLICY_NAME: StringConstraint = { min: 1, max: 128, ...NAME };
/** `/` or `/segment/.../` with printable ASCII between slashes. */
export const PATH: StringConstraint = { min: 1, max: 512, pattern: /^(\/|\/[\u0021-\u007e]+\/)$/u, shown: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' };
export const ROLE_SESSION_NAME: StringConstraint = { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/u, shown: '[\\w+=,.@-]*' };
/** Policy documents: printable characters, tab, LF, CR (the IAM `policyDocumentType`). */
export const POLICY_DOCUMENT: StringConstraint = {
  min: 1,
  max: 131_072,
  pattern: /^[\u0009\u000a\u000d\u0020-\u00ff]+$/u,
  shown: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
};
export const ACCESS_KEY_ID: StringConstraint = { min: 16, max: 128, pattern: /^[\w]+$/u, shown: '[\\w]+' };

/**
 * The value of a required parameter, checked against its constraint; throws AWS's ValidationError.
 *
 * @example
 *   const userName = requireValid('userName', parameters.get('UserName') ?? undefined, USER_NAME);
 */
export function requireValid(member: string, value: string | undefined, constraint: StringConstraint): string {
  if (value === undefined) throw validationError(member, undefined, 'Member must not be null');
  return checkValid(member, value, constraint);
}

/** Like `requireValid` for an optional parameter: absent stays absent. */
export function optionalValid(member: string, value: string | undefined, constraint: StringConstraint): string | undefined {
  return value === undefined ? undefined : checkValid(member, value, constraint);
}

function checkValid(member: string, value: string, constraint: StringConstraint): string {
  if (value.length < constraint.min) {
    throw validationError(member, value, `Member must have length greater than or equal to ${constraint.min}`);
  }
  if (value.length > constraint.max) {
    throw validationError(member, value, `Member must have length less than or equal to ${constraint.max}`);
  }
  if (!constraint.pattern.test(value)) {
    throw validationError(member, value, `Member must satisfy regular expression pattern: ${constraint.shown}`);
  }
  return value;
}

/**
 * An optional integer parameter within bounds; throws AWS's ValidationError otherwise.
 */
export function optionalInteger(member: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(number)) {
    throw validationError(member, value, 'Member must be an integer');
  }
  if (number < min) throw validationError(member, value, `Member must have value greater than or equal to ${min}`);
  if (number > max) throw validationError(member, value, `Member must have value less than or equal to ${max}`);
  return number;
}

/** IAM's `statusType` as UpdateAccessKey takes it. */
const ACCESS_KEY_STATUSES = ['Active', 'Inactive'] as const;

/**
 * The `Status` of UpdateAccessKey; throws AWS's ValidationError when it is missing or not one of IAM's.
 *
 * @example
 *   const status = requireAccessKeyStatus(parameters.get('Status') ?? undefined); // 'Active' | 'Inactive'
 */
export function requireAccessKeyStatus(value: string | undefined): (typeof ACCESS_KEY_STATUSES)[number] {
  if (value === undefined) throw validationError('status', undefined, 'Member must not be null');
  const status = ACCESS_KEY_STATUSES.find((known) => known === value);
  if (status === undefined) {
    throw validationError('status', value, `Member must satisfy enum value set: [${ACCESS_KEY_STATUSES.join(', ')}]`);
  }
  return status;
}
