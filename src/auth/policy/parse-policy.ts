import { LimitExceededException, MalformedPolicyDocumentException } from '../../errors.js';
import type { CompiledPolicy, CompiledStatement, PolicyKind, PolicyVersion } from './compiled-policy.js';
import { compileConditions, isObject } from './condition.js';
import { compilePattern, type PolicyPattern } from './policy-pattern.js';
import { needs, PolicyDocumentError } from './policy-document-error.js';
import { compilePrincipals, type PrincipalExists } from './principal-element.js';

/** AWS KMS's key policy size limit, in bytes. */
export const KEY_POLICY_MAX_BYTES = 32_768;

export interface ParsePolicyOptions {
  /** Existence check for IAM users and roles named in a key policy (omit when re-reading a stored policy). */
  readonly principalExists?: PrincipalExists;
}

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
/** Key policies may hold printable ASCII and Latin-1, tab, LF and CR (PutKeyPolicy API reference). */
const KEY_POLICY_CHARACTERS = /^[\t\n\r\u0020-\u007e\u00a0-\u00ff]*$/u;
const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;

/**
 * Validates and compiles a policy document.
 * Key policies fail with MalformedPolicyDocumentException (LimitExceededException above 32 KB, as the
 * PutKeyPolicy reference documents); identity and trust policies fail with a neutral `PolicyDocumentError`
 * that the IAM API maps to its own error.
 *
 * @example
 *   const policy = parsePolicy(defaultKeyPolicy('111122223333'), 'key', { principalExists: (arn) => users.has(arn) });
 */
export function parsePolicy(json: string, kind: PolicyKind, options: ParsePolicyOptions = {}): CompiledPolicy {
  try {
    return compilePolicyDocument(json, kind, options.principalExists);
  } catch (error) {
    if (kind !== 'key' || !(error instanceof PolicyDocumentError)) throw error;
    if (error.problem === 'too-large') throw new LimitExceededException(error.message);
    throw new MalformedPolicyDocumentException(error.message);
  }
}

function compilePolicyDocument(json: string, kind: PolicyKind, principalExists: PrincipalExists | undefined): CompiledPolicy {
  if (kind === 'key') {
    if (Buffer.byteLength(json, 'utf8') > KEY_POLICY_MAX_BYTES) {
      throw new PolicyDocumentError('too-large', `The key policy exceeds the maximum size of ${KEY_POLICY_MAX_BYTES} bytes.`);
    }
    needs(KEY_POLICY_CHARACTERS.test(json), 'The policy contains characters that are not allowed.');
  }
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    throw new PolicyDocumentError('malformed', 'The policy is not valid JSON.');
  }
  // NUL marks literal characters inside compiled patterns (policy-pattern.ts); no policy needs one.
  needs(!json.includes('\u0000') && !json.includes('\\u0000'), 'The policy contains characters that are not allowed.');
  needs(isObject(document), 'The policy must be a JSON object.');
  for (const field of Object.keys(document)) needs(TOP_LEVEL.has(field), `The policy has an unsupported element: ${field}.`);
  const version = document['Version'] ?? '2008-10-17';
  needs(version === '2012-10-17' || version === '2008-10-17', 'The policy has an unsupported Version; use 2012-10-17.');
  const id = document['Id'];
  needs(id === undefined || typeof id === 'string', 'The policy Id must be a string.');
  const raw = document['Statement'];
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  needs(statements.length > 0, 'The policy must contain at least one statement.');
  const sids = new Set<string>();
  const compiled = statements.map((statement, index) =>
    compileStatement(statement, index, { kind, version, principalExists, sids }),
  );
  return Object.freeze({ kind, version, ...(id === undefined ? {} : { id }), statements: Object.freeze(compiled) });
}

interface StatementScope {
  readonly kind: PolicyKind;
  readonly version: PolicyVersion;
  readonly principalExists: PrincipalExists | undefined;
  readonly sids: Set<string>;
}

function compileStatement(raw: unknown, index: number, scope: StatementScope): CompiledStatement {
  needs(isObject(raw), 'Each statement must be a JSON object.');
  for (const field of Object.keys(raw)) needs(STATEMENT_FIELDS.has(field), `A statement has an unsupported element: ${field}.`);
  const sid = raw['Sid'];
  needs(sid === undefined || typeof sid === 'string', 'The Sid must be a string.');
  if (sid !== undefined) {
    needs(!scope.sids.has(sid), `Statement ids (Sid) must be unique: ${sid}.`);
    scope.sids.add(sid);
  }
  const effect = raw['Effect'];
  needs(effect === 'Allow' || effect === 'Deny', 'Each statement must have an Effect of Allow or Deny.');
  const variables = scope.version === '2012-10-17';
  const principals = pair(raw, 'Principal', 'NotPrincipal', (value) => compilePrincipals(value, scope.principalExists));
  const actions = pair(raw, 'Action', 'NotAction', (value) => patterns(value, 'Action', false));
  const resources = pair(raw, 'Resource', 'NotResource', (value) => patterns(value, 'Resource', variables));
  if (scope.kind === 'identity') {
    needs(principals === undefined, 'Policy document should not specify a principal.');
    needs(actions !== undefined, 'Each statement must contain an Action or NotAction element.');
    needs(resources !== undefined, 'Each statement must contain a Resource or NotResource element.');
  } else {
    needs(principals !== undefined, 'Each statement must contain a Principal or NotPrincipal element.');
    if (scope.kind === 'trust') needs(actions !== undefined, 'Each statement must contain an Action or NotAction element.');
  }
  return Object.freeze({
    index,
    ...(sid === undefined ? {} : { sid }),
    effect,
    ...(principals === undefined ? {} : { principals }),
    ...(actions === undefined ? {} : { actions }),
    ...(resources === undefined ? {} : { resources }),
    conditions: Object.freeze(compileConditions(raw['Condition'], variables)),
  });
}

/** Reads an element and its Not- twin (at most one may be present). */
function pair<T>(
  raw: Record<string, unknown>,
  positive: string,
  negative: string,
  compile: (value: unknown) => T,
): { readonly negated: boolean; readonly list: T } | undefined {
  const hasPositive = raw[positive] !== undefined;
  const hasNegative = raw[negative] !== undefined;
  needs(!(hasPositive && hasNegative), `A statement cannot contain both ${positive} and ${negative}.`);
  if (!hasPositive && !hasNegative) return undefined;
  return Object.freeze({ negated: hasNegative, list: compile(raw[hasNegative ? negative : positive]) });
}

function patterns(value: unknown, element: 'Action' | 'Resource', variables: boolean): readonly PolicyPattern[] {
  const list = Array.isArray(value) ? value : [value];
  needs(list.length > 0, `The ${element} element must not be empty.`);
  return Object.freeze(
    list.map((item) => {
      needs(typeof item === 'string' && item.length > 0, `${element} values must be non-empty strings.`);
      if (element === 'Action') {
        needs(ACTION.test(item), `Invalid action: ${item}.`);
        return compilePattern(item, { ignoreCase: true, wildcards: true, variables: false });
      }
      return compilePattern(item, { ignoreCase: false, wildcards: true, variables });
    }),
  );
}
