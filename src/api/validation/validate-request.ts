import { SerializationException } from '../../errors.js';
import { KMS_INPUT_SHAPES, KMS_OPERATION_INPUTS } from '../generated/kms-schema.js';
import type { KmsOperationName, KmsOperations } from '../generated/kms-shapes.js';
import { compileShape, type CompiledShape } from './compiled-shape.js';
import { liveRequirementFirst } from './live-required-members.js';
import { isJsonObject, readStructure } from './read-value.js';
import { validationError } from './violation-message.js';

/**
 * Every operation's input shape, compiled once when the module loads (a broken schema fails at start-up,
 * not on the first request), sharing compiled shapes between operations.
 */
const OPERATION_INPUTS: Readonly<Record<KmsOperationName, CompiledShape>> = (() => {
  const compiled = new Map<string, CompiledShape>();
  const entries = Object.entries(KMS_OPERATION_INPUTS).map(
    ([operation, shape]) => [operation, compileShape(KMS_INPUT_SHAPES, shape, compiled)] as const,
  );
  return Object.freeze(Object.fromEntries(entries) as Record<KmsOperationName, CompiledShape>);
})();

/**
 * Whether `name` is one of the 54 operations of the KMS model.
 *
 * @example
 *   isKmsOperationName('Encrypt');      // true
 *   isKmsOperationName('constructor');  // false
 */
export function isKmsOperationName(name: string): name is KmsOperationName {
  return Object.hasOwn(OPERATION_INPUTS, name);
}

/**
 * Checks a parsed JSON request body against the operation's input shape, the way AWS KMS does, and returns
 * it in the typed form the handlers use: blobs decoded from base64 to Buffers, timestamps as Dates, unknown
 * members dropped, maps as prototype-less objects.
 *
 * Throws SerializationException when the body or a member has the wrong JSON type (naming the member, never
 * its value), and ValidationException listing every constraint violation in AWS's exact words. Blob and
 * sensitive values are never quoted in either.
 *
 * The returned Buffers of sensitive members (Plaintext, Message) hold secrets: wrap them in SecretBytes and
 * wipe them when done.
 *
 * @example
 *   const input = validateRequest('Encrypt', { KeyId: 'alias/app', Plaintext: 'aGVsbG8=' });
 *   input.Plaintext; // <Buffer 68 65 6c 6c 6f>
 *
 *   validateRequest('Encrypt', { Plaintext: 'aGVsbG8=' });
 *   // ValidationException: 1 validation error detected: Value null at 'keyId' failed to satisfy
 *   //   constraint: Member must not be null
 */
export function validateRequest<Op extends KmsOperationName>(operation: Op, body: unknown): KmsOperations[Op]['input'] {
  const shape = OPERATION_INPUTS[operation];
  if (!isJsonObject(body)) throw new SerializationException('Expected a JSON object as the request body');
  const found: string[] = [];
  const input = readStructure(shape, body, '', found);
  const violations = liveRequirementFirst(operation, body, found);
  if (violations.length > 0) throw validationError(violations);
  return input as unknown as KmsOperations[Op]['input'];
}
