import type { CompiledPolicy, CompiledStatement, PolicyKind } from './compiled-policy.js';
import type { ConditionLookup } from './condition-lookup.js';
import type { PolicyPattern } from './policy-pattern.js';
import { matchPrincipal, type PrincipalMatch } from './principal-element.js';
import type { RequestContext } from './request-context.js';

/**
 * A statement that applies to a request. `via` says how its principal matched: `direct` (the caller, its
 * role, `*`, or an identity policy's own holder) or `account` (the caller's account root was named, so a key
 * policy Allow only delegates to the caller's identity policies; a Deny applies to the whole account).
 */
export interface StatementMatch {
  readonly statement: CompiledStatement;
  readonly via: Exclude<PrincipalMatch, 'none'>;
}

/** The statements of one policy that apply to a request, by effect. */
export interface PolicyEvaluation {
  readonly allows: readonly StatementMatch[];
  readonly denies: readonly StatementMatch[];
}

const NOTHING: PolicyEvaluation = Object.freeze({ allows: Object.freeze([]), denies: Object.freeze([]) });

/**
 * Finds the statements of `policy` that apply to `request`: principal, action, resource and every condition
 * must match. Allocates nothing when no statement applies.
 *
 * @example
 *   const { allows, denies } = evaluatePolicy(policy, request, new ConditionLookup(request));
 */
export function evaluatePolicy(policy: CompiledPolicy, request: RequestContext, lookup: ConditionLookup): PolicyEvaluation {
  let allows: StatementMatch[] | undefined;
  let denies: StatementMatch[] | undefined;
  for (const statement of policy.statements) {
    const via = statementApplies(statement, policy.kind, request, lookup);
    if (via === 'none') continue;
    const match = { statement, via };
    if (statement.effect === 'Deny') (denies ??= []).push(match);
    else (allows ??= []).push(match);
  }
  if (allows === undefined && denies === undefined) return NOTHING;
  return { allows: allows ?? [], denies: denies ?? [] };
}

function statementApplies(
  statement: CompiledStatement,
  kind: PolicyKind,
  request: RequestContext,
  lookup: ConditionLookup,
): PrincipalMatch {
  const via = principalApplies(statement, request);
  if (via === 'none') return 'none';
  const { actions, resources } = statement;
  if (actions === undefined) return 'none';
  if (anyMatches(actions.list, request.action, lookup) === actions.negated) return 'none';
  // Trust policies have no Resource element; a key policy statement without one has no effect.
  if (resources === undefined) {
    if (kind !== 'trust') return 'none';
  } else if (anyMatches(resources.list, request.resource, lookup) === resources.negated) {
    return 'none';
  }
  for (const condition of statement.conditions) {
    if (!condition.holds(lookup)) return 'none';
  }
  return via;
}

function principalApplies(statement: CompiledStatement, request: RequestContext): PrincipalMatch {
  const { principals } = statement;
  if (principals === undefined) return 'direct'; // identity policy: it applies to its holder
  const match = matchPrincipal(principals.list, request.principal);
  if (!principals.negated) return match;
  return match === 'none' ? 'direct' : 'none';
}

function anyMatches(patterns: readonly PolicyPattern[], value: string, lookup: ConditionLookup): boolean {
  for (const pattern of patterns) {
    if (pattern.matches(value, lookup)) return true;
  }
  return false;
}
