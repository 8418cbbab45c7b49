import type { ConditionLookup } from './condition-lookup.js';

/**
 * Wildcard patterns of the policy language (`*` any run of characters, `?` one character), optionally with
 * policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${*}` `${?}` `${$}` for the literal
 * characters, `${key, 'default'}`). Compiled once when the policy is parsed; a pattern without variables
 * costs one RegExp test (or a string comparison) at evaluation time.
 */
export interface PolicyPattern {
  readonly source: string;
  /** Whether `value` matches; variables are resolved from `lookup`. An unresolvable variable never matches. */
  matches(value: string, lookup: ConditionLookup): boolean;
}

export interface PatternOptions {
  readonly ignoreCase: boolean;
  /** Whether `*` and `?` are wildcards (StringLike) or literal characters (StringEquals). */
  readonly wildcards: boolean;
  /** Whether `${...}` are policy variables (Version 2012-10-17, in Resource and condition values). */
  readonly variables: boolean;
}

type Token = { readonly literal: string } | { readonly variable: string; readonly fallback: string | undefined };

const VARIABLE = /\$\{([^}]*)\}/g;
const DEFAULTED = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;
/** Resolved patterns kept per variable-bearing pattern; bounded so hostile values cannot grow memory. */
const RESOLVED_CACHE_LIMIT = 64;

/**
 * Compiles a pattern.
 *
 * @example
 *   compilePattern('arn:aws:kms:*:111122223333:key/*', { ignoreCase: false, wildcards: true, variables: true })
 *     .matches('arn:aws:kms:us-east-1:111122223333:key/abc', lookup) // true
 */
export function compilePattern(source: string, options: PatternOptions): PolicyPattern {
  const tokens = options.variables ? tokenize(source) : [{ literal: source }];
  if (tokens.every((token) => 'literal' in token)) {
    const text = tokens.map((token) => ('literal' in token ? token.literal : '')).join('');
    return literalPattern(source, text, options);
  }
  return variablePattern(source, tokens, options);
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of source.matchAll(VARIABLE)) {
    if (match.index > last) tokens.push({ literal: source.slice(last, match.index) });
    const inner = match[1] ?? '';
    if (inner === '*' || inner === '?' || inner === '$') {
      tokens.push({ literal: `\u0000${inner}` }); // marked: a literal character, never a wildcard
    } else {
      const defaulted = DEFAULTED.exec(inner);
      tokens.push(defaulted ? { variable: defaulted[1] ?? '', fallback: defaulted[2] } : { variable: inner.trim(), fallback: undefined });
    }
    last = match.index + match[0].length;
  }
  if (last < source.length) tokens.push({ literal: source.slice(last) });
  return tokens;
}

function literalPattern(source: string, text: string, options: PatternOptions): PolicyPattern {
  const hasWildcard = options.wildcards && /[*?]/.test(text);
  if (!hasWildcard && !text.includes('\u0000')) {
    const expected = options.ignoreCase ? text.toLowerCase() : text;
    return {
      source,
      matches: options.ignoreCase ? (value) => value.toLowerCase() === expected : (value) => value === expected,
    };
  }
  if (options.wildcards && text === '*') return { source, matches: () => true };
  const regex = toRegExp(text, options);
  return { source, matches: (value) => regex.test(value) };
}

function variablePattern(source: string, tokens: readonly Token[], options: PatternOptions): PolicyPattern {
  const resolved = new Map<string, RegExp>();
  return {
    source,
    matches(value, lookup) {
      let text = '';
      for (const token of tokens) {
        if ('literal' in token) {
          text += token.literal;
          continue;
        }
        const values = lookup.strings(token.variable);
        const substitute = values.length === 1 ? values[0] : token.fallback;
        if (substitute === undefined) return false;
        // Substituted values are literal text: their `*` and `?` are not wildcards.
        text += substitute.replace(/[*?$]/g, (character) => `\u0000${character}`);
      }
      let regex = resolved.get(text);
      if (regex === undefined) {
        regex = toRegExp(text, options);
        if (resolved.size >= RESOLVED_CACHE_LIMIT) resolved.clear();
        resolved.set(text, regex);
      }
      return regex.test(value);
    },
  };
}

/** Builds an anchored RegExp; characters marked with \u0000 are literal even when wildcards are on. */
function toRegExp(text: string, options: PatternOptions): RegExp {
  let body = '';
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] ?? '';
    if (character === '\u0000') {
      index += 1;
      body += escapeRegExp(text[index] ?? '');
    } else if (options.wildcards && character === '*') {
      body += '[\\s\\S]*';
    } else if (options.wildcards && character === '?') {
      body += '[\\s\\S]';
    } else {
      body += escapeRegExp(character);
    }
  }
  return new RegExp(`^${body}$`, options.ignoreCase ? 'iu' : 'u');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
