import type { ConditionLookup } from './condition-lookup.js';
import { needs } from './policy-document-error.js';
import { BASE_OPERATORS, type ValueMatcher } from './value-matchers.js';

/**
 * The Condition element: compiled once, evaluated per request. Semantics (IAM User Guide, "Condition
 * operators" and "Multivalued context keys"):
 * - every operator, and every key under an operator, must hold (AND); a key's policy values are ORed;
 * - a negated operator (StringNotEquals, NotIpAddress, ArnNotLike, ...) holds when the context value matches
 *   none of the policy values, and holds when the key is absent;
 * - a positive operator is false when the key is absent; `...IfExists` makes any operator true then;
 * - `Null: {key: true}` holds when the key is absent, `false` when present;
 * - `ForAllValues:` holds when every context value satisfies the operator (and when the key is absent or
 *   empty); `ForAnyValue:` when at least one does (false when absent).
 */
export interface CompiledCondition {
  /** The operator as written in the policy, for explanations. */
  readonly operator: string;
  readonly key: string;
  holds(lookup: ConditionLookup): boolean;
}

type SetQualifier = 'ForAllValues' | 'ForAnyValue' | undefined;

const OPERATORS_BY_LOWER_NAME = new Map([...BASE_OPERATORS].map(([name, spec]) => [name.toLowerCase(), spec]));

/** Compiles a statement's Condition block; throws PolicyDocumentError for unknown operators or bad values. */
export function compileConditions(block: unknown, variables: boolean): CompiledCondition[] {
  if (block === undefined) return [];
  needs(isObject(block), 'The Condition element must be an object.');
  const conditions: CompiledCondition[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    needs(isObject(keys), `The ${operator} condition must map condition keys to values.`);
    for (const [key, raw] of Object.entries(keys)) {
      conditions.push(compileOne(operator, key, conditionValues(raw, operator), variables));
    }
  }
  return conditions;
}

function compileOne(operator: string, key: string, values: readonly string[], variables: boolean): CompiledCondition {
  needs(key.length > 0, 'A condition key must not be empty.');
  let name = operator;
  let qualifier: SetQualifier;
  const prefix = /^(ForAllValues|ForAnyValue):/i.exec(name);
  if (prefix) {
    qualifier = prefix[1]?.toLowerCase() === 'forallvalues' ? 'ForAllValues' : 'ForAnyValue';
    name = name.slice(prefix[0].length);
  }
  if (name.toLowerCase() === 'null') {
    needs(qualifier === undefined, `Unsupported condition operator ${operator}.`);
    const wanted = values.map((value) => value.toLowerCase());
    needs(wanted.every((value) => value === 'true' || value === 'false'), 'Null condition values must be true or false.');
    return { operator, key, holds: (lookup) => wanted.includes(isAbsent(lookup, key) ? 'true' : 'false') };
  }
  const ifExists = /IfExists$/i.test(name);
  if (ifExists) name = name.slice(0, -'IfExists'.length);
  const spec = OPERATORS_BY_LOWER_NAME.get(name.toLowerCase());
  needs(spec !== undefined, `Unsupported condition operator ${operator}.`);
  const matchesAny = spec.factory(values, variables);
  return { operator, key, holds: evaluator(key, matchesAny, spec.negated, ifExists, qualifier) };
}

function evaluator(
  key: string,
  matchesAny: ValueMatcher,
  negated: boolean,
  ifExists: boolean,
  qualifier: SetQualifier,
): (lookup: ConditionLookup) => boolean {
  // One context value satisfies the operator when it matches a policy value (positive) or none (negated).
  const satisfies = (value: string, lookup: ConditionLookup): boolean => matchesAny(value, lookup) !== negated;
  return (lookup) => {
    const contextValues = lookup.strings(key);
    if (contextValues.length === 0) {
      if (ifExists || qualifier === 'ForAllValues') return true;
      return qualifier === undefined && negated;
    }
    if (qualifier === 'ForAllValues') return contextValues.every((value) => satisfies(value, lookup));
    if (qualifier === 'ForAnyValue') return contextValues.some((value) => satisfies(value, lookup));
    // Without a qualifier: a positive operator needs one matching value, a negated one needs none to match.
    const anyMatches = contextValues.some((value) => matchesAny(value, lookup));
    return anyMatches !== negated;
  };
}

function isAbsent(lookup: ConditionLookup, key: string): boolean {
  return lookup.strings(key).length === 0;
}

function conditionValues(raw: unknown, operator: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  needs(list.length > 0, `The ${operator} condition has no values.`);
  return list.map((value) => {
    needs(
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
      `Condition values of ${operator} must be strings, numbers or booleans.`,
    );
    return String(value);
  });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
