import { SerializationException, ValidationException, type KmsError } from '../../errors.js';
import type { CompiledShape } from './compiled-shape.js';

/**
 * One constraint violation in AWS's words:
 * `Value 'x' at 'keyId' failed to satisfy constraint: Member must have length ...`.
 *
 * The value is quoted only when it is safe to: never for blobs or sensitive shapes (`Value at 'plaintext'
 * failed ...`), and lists only when their items are plain non-sensitive scalars (Java's `[a, b]`, as AWS
 * prints them).
 */
export function describeViolation(shape: CompiledShape, value: unknown, path: string, phrase: string): string {
  const quoted = echoableValue(shape, value);
  const subject = quoted === undefined ? 'Value' : `Value '${quoted}'`;
  return `${subject} at '${path}' failed to satisfy constraint: ${phrase}`;
}

/** A required member that is absent or JSON `null`. */
export function describeMissing(path: string): string {
  return `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
}

/**
 * All violations of a request as AWS reports them: `1 validation error detected: ...`, or
 * `N validation errors detected: ...; ...`.
 *
 * @example
 *   validationError(["Value null at 'keyId' failed to satisfy constraint: Member must not be null"]).message
 *   // "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null"
 */
export function validationError(violations: readonly string[]): KmsError {
  const count = violations.length;
  const heading = count === 1 ? '1 validation error detected' : `${count} validation errors detected`;
  return new ValidationException(`${heading}: ${violations.join('; ')}`);
}

/** Names what JSON type each kind of shape wants, for SerializationException messages. */
const EXPECTED: Readonly<Record<CompiledShape['kind'], string>> = {
  string: 'a string',
  blob: 'a base64-encoded string',
  integer: 'a 32-bit integer',
  boolean: 'a boolean',
  timestamp: 'a number of seconds since the epoch',
  list: 'a JSON array',
  map: 'a JSON object of strings',
  structure: 'a JSON object',
};

/** A member whose JSON value has the wrong type, named by its path; its value is never repeated. */
export function wrongType(shape: CompiledShape, path: string): KmsError {
  return new SerializationException(`Expected ${EXPECTED[shape.kind]} at '${path}'`);
}

function echoableValue(shape: CompiledShape, value: unknown): string | undefined {
  if (!shape.echo) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (!Array.isArray(value)) return undefined;
  const item = shape.item;
  if (item === undefined || !item.echo || (item.kind !== 'string' && item.kind !== 'integer')) return undefined;
  return `[${value.join(', ')}]`;
}
