import { ValidationException, type KmsError } from '../../errors.js';
import type { KmsOperationName } from '../generated/kms-shapes.js';
import { describeMissing } from './violation-message.js';

/**
 * A member the model leaves optional but the live service requires, refusing its absence in words of its own
 * rather than the model's `Value null at ... Member must not be null`.
 */
interface LiveRequiredMember {
  readonly member: string;
  /** The member's path in validation messages (AWS's camelCase). */
  readonly path: string;
  readonly message: string;
}

/** Recorded against AWS: `GenerateRandom` without `NumberOfBytes` answers "NumberOfBytes is required.". */
const LIVE_REQUIRED: Partial<Record<KmsOperationName, LiveRequiredMember>> = {
  GenerateRandom: { member: 'NumberOfBytes', path: 'numberOfBytes', message: 'NumberOfBytes is required.' },
};

/**
 * AWS checks the model's constraints first and the live requirement after them, so a request that breaks a
 * constraint hears about that; only when the missing member is all that is wrong does its own message come.
 * Returns the violations to report as the model's, or throws the live requirement's answer.
 *
 * @example
 *   liveRequirementFirst('GenerateRandom', {}, ["Value null at 'numberOfBytes' ..."]);
 *   // ValidationException: NumberOfBytes is required.
 */
export function liveRequirementFirst(
  operation: KmsOperationName,
  body: Readonly<Record<string, unknown>>,
  violations: readonly string[],
): readonly string[] {
  const required = LIVE_REQUIRED[operation];
  if (!required) return violations;
  const missing = describeMissing(required.path);
  const others = violations.filter((violation) => violation !== missing);
  if (others.length === 0 && (body[required.member] === undefined || body[required.member] === null)) {
    throw liveRequiredError(required);
  }
  return others;
}

function liveRequiredError(required: LiveRequiredMember): KmsError {
  return new ValidationException(required.message);
}
