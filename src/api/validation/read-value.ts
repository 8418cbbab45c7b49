import type { CompiledShape } from './compiled-shape.js';
import { decodeStrictBase64 } from './strict-base64.js';
import { describeMissing, describeViolation, wrongType } from './violation-message.js';

/** Java's `int` range: AWS deserialises integer members into one, so larger numbers cannot be read. */
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

type JsonObject = Record<string, unknown>;

/** Whether `value` is a JSON object (not `null`, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a structure's members from `body` into a new object: known members only (unknown ones are ignored,
 * as AWS does), blobs decoded to Buffers, timestamps to Dates. `null` counts as absent. Constraint
 * violations are appended to `violations` in member order; a value of the wrong JSON type throws
 * SerializationException at once, as AWS's deserialiser does.
 *
 * `prefix` is the structure's own path ('' at the top level), so nested members read `tags.1.member.tagKey`.
 */
export function readStructure(
  shape: CompiledShape,
  body: JsonObject,
  prefix: string,
  violations: string[],
): JsonObject {
  const result: JsonObject = {};
  for (const member of shape.members) {
    const path = prefix === '' ? member.pathName : `${prefix}.${member.pathName}`;
    const value = body[member.name];
    if (value === undefined || value === null) {
      if (member.required) violations.push(describeMissing(path));
      continue;
    }
    result[member.name] = readValue(member.shape, value, path, violations);
  }
  return result;
}

/** Reads one non-null value of `shape`, checking its constraints; returns it in its validated form. */
function readValue(shape: CompiledShape, value: unknown, path: string, violations: string[]): unknown {
  switch (shape.kind) {
    case 'string':
      if (typeof value !== 'string') throw wrongType(shape, path);
      checkString(shape, value, path, violations);
      return value;
    case 'blob': {
      const bytes = typeof value === 'string' ? decodeStrictBase64(value) : undefined;
      if (bytes === undefined) throw wrongType(shape, path);
      checkBounds(shape, bytes, bytes.length, path, violations);
      return bytes;
    }
    case 'integer':
      if (!Number.isInteger(value) || (value as number) < INT_MIN || (value as number) > INT_MAX) {
        throw wrongType(shape, path);
      }
      checkBounds(shape, value, value as number, path, violations);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(shape, path);
      return value;
    case 'timestamp':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(shape, path);
      return new Date(value * 1000);
    case 'list':
      if (!Array.isArray(value)) throw wrongType(shape, path);
      return readList(shape, value, path, violations);
    case 'map':
      if (!isJsonObject(value)) throw wrongType(shape, path);
      return readMap(shape, value, path, violations);
    case 'structure':
      if (!isJsonObject(value)) throw wrongType(shape, path);
      return readStructure(shape, value, path, violations);
  }
}

function checkString(shape: CompiledShape, value: string, path: string, violations: string[]): void {
  const { enumeration, pattern } = shape;
  if (enumeration !== undefined && !enumeration.values.has(value)) {
    violations.push(describeViolation(shape, value, path, enumeration.phrase));
  }
  checkBounds(shape, value, value.length, path, violations);
  if (pattern !== undefined && !pattern.regex.test(value)) {
    violations.push(describeViolation(shape, value, path, pattern.phrase));
  }
}

/** `measure` is what the bounds limit: a length (UTF-16 units, bytes, items) or an integer's value. */
function checkBounds(shape: CompiledShape, value: unknown, measure: number, path: string, violations: string[]): void {
  const { min, max } = shape;
  if (min !== undefined && measure < min.limit) violations.push(describeViolation(shape, value, path, min.phrase));
  if (max !== undefined && measure > max.limit) violations.push(describeViolation(shape, value, path, max.phrase));
}

function readList(shape: CompiledShape, items: readonly unknown[], path: string, violations: string[]): unknown[] {
  checkBounds(shape, items, items.length, path, violations);
  const item = shape.item as CompiledShape;
  const result = new Array<unknown>(items.length);
  for (let index = 0; index < items.length; index += 1) {
    const itemPath = `${path}.${index + 1}.member`;
    const value = items[index];
    // A list item cannot be absent; JSON null in a list is a malformed request, not a missing member.
    if (value === null || value === undefined) throw wrongType(item, itemPath);
    result[index] = readValue(item, value, itemPath, violations);
  }
  return result;
}

/**
 * Copies a map into an object without a prototype, so a key such as `constructor` or `__proto__` is only
 * ever data. The schema's map values are unconstrained strings (the generator refuses anything else).
 */
function readMap(shape: CompiledShape, entries: JsonObject, path: string, violations: string[]): JsonObject {
  const item = shape.item as CompiledShape;
  const result: JsonObject = Object.create(null) as JsonObject;
  for (const key of Object.keys(entries)) {
    const value = entries[key];
    if (value === null || value === undefined) throw wrongType(item, path);
    result[key] = readValue(item, value, path, violations);
  }
  return result;
}
