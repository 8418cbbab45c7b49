import { BlockList, isIP } from 'node:net';
import type { ConditionLookup } from './condition-lookup.js';
import { compilePattern, type PolicyPattern } from './policy-pattern.js';
import { needs } from './policy-document-error.js';

/**
 * The comparisons behind the condition operators. Each compiles a statement's policy values once and
 * returns `matchesAny(contextValue)`: whether one context value matches at least one policy value.
 * Negation, IfExists and the ForAllValues/ForAnyValue set qualifiers are applied by `condition.ts`.
 */
export type ValueMatcher = (contextValue: string, lookup: ConditionLookup) => boolean;
export type MatcherFactory = (policyValues: readonly string[], variables: boolean) => ValueMatcher;

function anyPattern(patterns: readonly PolicyPattern[]): ValueMatcher {
  return (value, lookup) => patterns.some((pattern) => pattern.matches(value, lookup));
}

function stringMatcher(ignoreCase: boolean, wildcards: boolean): MatcherFactory {
  return (policyValues, variables) =>
    anyPattern(policyValues.map((value) => compilePattern(value, { ignoreCase, wildcards, variables })));
}

function parseNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function numericMatcher(compare: (context: number, policy: number) => boolean): MatcherFactory {
  return (policyValues) => {
    const numbers = policyValues.map(parseNumber);
    needs(numbers.every(Number.isFinite), 'Numeric condition values must be numbers.');
    return (value) => {
      const context = parseNumber(value);
      return Number.isFinite(context) && numbers.some((policy) => compare(context, policy));
    };
  };
}

/** Dates are ISO 8601 or epoch seconds (aws:EpochTime), compared as instants. */
export function parseDate(text: string): number {
  if (/^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text) * 1000;
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
}

function dateMatcher(compare: (context: number, policy: number) => boolean): MatcherFactory {
  return (policyValues) => {
    const instants = policyValues.map(parseDate);
    needs(instants.every(Number.isFinite), 'Date condition values must be ISO 8601 dates or epoch seconds.');
    return (value) => {
      const context = parseDate(value);
      return Number.isFinite(context) && instants.some((policy) => compare(context, policy));
    };
  };
}

const boolMatcher: MatcherFactory = (policyValues) => {
  const expected = policyValues.map((value) => value.toLowerCase());
  return (value) => expected.includes(value.toLowerCase());
};

const binaryMatcher: MatcherFactory = (policyValues) => (value) => policyValues.includes(value);

const ipMatcher: MatcherFactory = (policyValues) => {
  const blocks = new BlockList();
  for (const value of policyValues) {
    const [address = '', prefixText] = value.trim().split('/');
    const family = isIP(address);
    needs(family !== 0, 'IpAddress condition values must be IP addresses or CIDR blocks.');
    const maximum = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? maximum : Number(prefixText);
    needs(Number.isInteger(prefix) && prefix >= 0 && prefix <= maximum, 'Invalid CIDR prefix length.');
    blocks.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return (value) => {
    const family = isIP(value);
    return family !== 0 && blocks.check(value, family === 4 ? 'ipv4' : 'ipv6');
  };
};

/** ARNs compare field by field (partition, service, region, account, resource); each field may use wildcards. */
const arnMatcher: MatcherFactory = (policyValues, variables) => {
  const compiled = policyValues.map((value) => {
    const fields = splitArn(value);
    const options = { ignoreCase: false, wildcards: true, variables };
    return fields ? fields.map((field) => compilePattern(field, options)) : [compilePattern(value, options)];
  });
  return (value, lookup) => {
    const fields = splitArn(value);
    return compiled.some((patterns) =>
      patterns.length === 1
        ? (patterns[0]?.matches(value, lookup) ?? false)
        : fields !== undefined && patterns.every((pattern, index) => pattern.matches(fields[index] ?? '', lookup)),
    );
  };
};

/** Splits `arn:partition:service:region:account:resource` (the resource may hold colons). */
export function splitArn(arn: string): string[] | undefined {
  const fields = arn.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return undefined;
  return [...fields.slice(0, 5), fields.slice(5).join(':')];
}

/** The base operators (without IfExists and set qualifiers): how they compare and whether they are negated. */
export const BASE_OPERATORS: ReadonlyMap<string, { readonly negated: boolean; readonly factory: MatcherFactory }> = new Map(
  Object.entries({
    StringEquals: { negated: false, factory: stringMatcher(false, false) },
    StringNotEquals: { negated: true, factory: stringMatcher(false, false) },
    StringEqualsIgnoreCase: { negated: false, factory: stringMatcher(true, false) },
    StringNotEqualsIgnoreCase: { negated: true, factory: stringMatcher(true, false) },
    StringLike: { negated: false, factory: stringMatcher(false, true) },
    StringNotLike: { negated: true, factory: stringMatcher(false, true) },
    NumericEquals: { negated: false, factory: numericMatcher((c, p) => c === p) },
    NumericNotEquals: { negated: true, factory: numericMatcher((c, p) => c === p) },
    NumericLessThan: { negated: false, factory: numericMatcher((c, p) => c < p) },
    NumericLessThanEquals: { negated: false, factory: numericMatcher((c, p) => c <= p) },
    NumericGreaterThan: { negated: false, factory: numericMatcher((c, p) => c > p) },
    NumericGreaterThanEquals: { negated: false, factory: numericMatcher((c, p) => c >= p) },
    DateEquals: { negated: false, factory: dateMatcher((c, p) => c === p) },
    DateNotEquals: { negated: true, factory: dateMatcher((c, p) => c === p) },
    DateLessThan: { negated: false, factory: dateMatcher((c, p) => c < p) },
    DateLessThanEquals: { negated: false, factory: dateMatcher((c, p) => c <= p) },
    DateGreaterThan: { negated: false, factory: dateMatcher((c, p) => c > p) },
    DateGreaterThanEquals: { negated: false, factory: dateMatcher((c, p) => c >= p) },
    Bool: { negated: false, factory: boolMatcher },
    BinaryEquals: { negated: false, factory: binaryMatcher },
    IpAddress: { negated: false, factory: ipMatcher },
    NotIpAddress: { negated: true, factory: ipMatcher },
    ArnEquals: { negated: false, factory: arnMatcher },
    ArnLike: { negated: false, factory: arnMatcher },
    ArnNotEquals: { negated: true, factory: arnMatcher },
    ArnNotLike: { negated: true, factory: arnMatcher },
  }),
);
