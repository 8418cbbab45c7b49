import type { CompiledCondition } from './condition.js';
import type { PolicyPattern } from './policy-pattern.js';
import type { CompiledPrincipals } from './principal-element.js';

/** Which API a policy document belongs to; each kind has its own grammar rules. */
export type PolicyKind = 'key' | 'identity' | 'trust';

export type PolicyVersion = '2012-10-17' | '2008-10-17';

export type StatementEffect = 'Allow' | 'Deny';

/**
 * One statement, compiled. For each pair (Principal/NotPrincipal, Action/NotAction, Resource/NotResource)
 * at most one side is present; `negated` says which. An element a key policy omits (AWS accepts a statement
 * without Action or Resource, which then has no effect) is `undefined`, and the statement never applies.
 */
export interface CompiledStatement {
  /** Position in the Statement array, for explanations. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: StatementEffect;
  readonly principals?: { readonly negated: boolean; readonly list: CompiledPrincipals };
  readonly actions?: { readonly negated: boolean; readonly list: readonly PolicyPattern[] };
  readonly resources?: { readonly negated: boolean; readonly list: readonly PolicyPattern[] };
  readonly conditions: readonly CompiledCondition[];
}

/**
 * A validated, normalised, immutable policy: what evaluation runs on. Made by `parsePolicy` (validation on
 * write) or by a `PolicyCache` (the hot path, which compiles each distinct policy text once).
 */
export interface CompiledPolicy {
  readonly kind: PolicyKind;
  readonly version: PolicyVersion;
  readonly id?: string;
  readonly statements: readonly CompiledStatement[];
}
