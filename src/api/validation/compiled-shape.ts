import { compileJavaPattern } from './java-pattern.js';
import type { ShapeSchema, ShapeTable } from './shape-schema.js';

/** A constraint ready to check: its limit (or matcher) and the phrase AWS reports when it fails. */
export interface Bound {
  readonly limit: number;
  readonly phrase: string;
}
export interface PatternCheck {
  readonly regex: RegExp;
  readonly phrase: string;
}
export interface EnumCheck {
  readonly values: ReadonlySet<string>;
  readonly phrase: string;
}

/**
 * One schema shape, compiled once for the hot path: regular expressions built, enum sets made, phrases
 * written, member paths lower-cased. Every kind shares this one object layout (unused fields `undefined`)
 * so the validator's property reads stay monomorphic.
 */
export interface CompiledShape {
  readonly kind: ShapeSchema['type'];
  /** Whether a violation message may quote the value: never for blobs and sensitive shapes. */
  readonly echo: boolean;
  readonly min: Bound | undefined;
  readonly max: Bound | undefined;
  readonly pattern: PatternCheck | undefined;
  readonly enumeration: EnumCheck | undefined;
  /** A list's item shape, or a map's value shape. */
  readonly item: CompiledShape | undefined;
  readonly members: readonly CompiledMember[];
}

export interface CompiledMember {
  /** The wire name, as in the model (`KeyId`). */
  readonly name: string;
  /** How AWS names the member in messages: the wire name with its first letter lower-cased (`keyId`). */
  readonly pathName: string;
  readonly required: boolean;
  readonly shape: CompiledShape;
}

function bound(limit: number | undefined, phrase: (limit: number) => string): Bound | undefined {
  return limit === undefined ? undefined : { limit, phrase: phrase(limit) };
}

/** The phrases of AWS's validation messages, per kind of bound. */
const LENGTH_AT_LEAST = (limit: number): string => `Member must have length greater than or equal to ${limit}`;
const LENGTH_AT_MOST = (limit: number): string => `Member must have length less than or equal to ${limit}`;
const VALUE_AT_LEAST = (limit: number): string => `Member must have value greater than or equal to ${limit}`;
const VALUE_AT_MOST = (limit: number): string => `Member must have value less than or equal to ${limit}`;

/**
 * Compiles the shape named `name` and everything it reaches, sharing one compiled shape per name (so a
 * recursive model would compile too).
 *
 * @example
 *   const encrypt = compileShape(KMS_INPUT_SHAPES, 'EncryptRequest', new Map());
 *   encrypt.members[0]?.pathName; // 'keyId'
 */
export function compileShape(table: ShapeTable, name: string, compiled: Map<string, CompiledShape>): CompiledShape {
  const existing = compiled.get(name);
  if (existing) return existing;
  const schema = table[name];
  if (!schema) throw new Error(`validation schema has no shape named ${name}`);
  const members: CompiledMember[] = [];
  const isValue = schema.type === 'integer';
  // Kinds without bounds simply have neither.
  const limits = schema as { readonly min?: number; readonly max?: number };
  const shape: CompiledShape = {
    kind: schema.type,
    echo: schema.type !== 'blob' && !('sensitive' in schema && schema.sensitive === true),
    min: bound(limits.min, isValue ? VALUE_AT_LEAST : LENGTH_AT_LEAST),
    max: bound(limits.max, isValue ? VALUE_AT_MOST : LENGTH_AT_MOST),
    pattern: schema.type === 'string' ? patternCheck(schema.pattern) : undefined,
    enumeration: schema.type === 'string' ? enumCheck(schema.enum) : undefined,
    item: undefined,
    members,
  };
  // Registered before its children are compiled, so a shape that reaches itself finds this one.
  compiled.set(name, shape);
  const item = itemShapeName(schema);
  if (item !== undefined) (shape as { item: CompiledShape | undefined }).item = compileShape(table, item, compiled);
  if (schema.type === 'structure') {
    const required = new Set(schema.required ?? []);
    for (const [member, memberShape] of Object.entries(schema.members)) {
      members.push({
        name: member,
        pathName: member.charAt(0).toLowerCase() + member.slice(1),
        required: required.has(member),
        shape: compileShape(table, memberShape, compiled),
      });
    }
  }
  return shape;
}

function itemShapeName(schema: ShapeSchema): string | undefined {
  if (schema.type === 'list') return schema.member;
  if (schema.type === 'map') return schema.value;
  return undefined;
}

function patternCheck(pattern: string | undefined): PatternCheck | undefined {
  if (pattern === undefined) return undefined;
  return { regex: compileJavaPattern(pattern), phrase: `Member must satisfy regular expression pattern: ${pattern}` };
}

function enumCheck(values: readonly string[] | undefined): EnumCheck | undefined {
  if (values === undefined) return undefined;
  return { values: new Set(values), phrase: `Member must satisfy enum value set: [${values.join(', ')}]` };
}
