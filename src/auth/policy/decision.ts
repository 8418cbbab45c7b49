import type { StatementEffect } from './compiled-policy.js';

/** The outcome of an authorization question. */
export type DecisionEffect = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/**
 * Which layer decided: for Allow, what granted access; for ExplicitDeny, the policy whose Deny applied;
 * for ImplicitDeny, the layer that failed to allow (`key-policy`: no resource-based policy allows;
 * `identity-policy`: the key policy delegated, or the action is not on a key, and no identity policy allows).
 * `root-identity`: an account's root user acting in its own account (implicitly allowed by IAM).
 */
export type DecisionReason = 'key-policy' | 'identity-policy' | 'grant' | 'root-identity';

/** Where a piece of evidence comes from. */
export type EvidenceSource = 'key-policy' | `identity-policy:${string}` | `grant:${string}`;

/** One statement (or grant) that applied to the request — the explanation shown to administrators. */
export interface DecisionEvidence {
  readonly source: EvidenceSource;
  readonly effect: StatementEffect;
  readonly sid?: string;
  readonly statementIndex?: number;
  /** For key policy Allows naming the account root: access delegated to identity policies. */
  readonly delegatedToAccount?: boolean;
}

/**
 * An authorization decision with its explanation.
 *
 * @example
 *   { effect: 'Allow', reason: 'key-policy',
 *     matched: [{ source: 'key-policy', effect: 'Allow', sid: 'Allow use of the key', statementIndex: 1 }] }
 */
export interface Decision {
  readonly effect: DecisionEffect;
  readonly reason: DecisionReason;
  /** Every statement and grant that applied (Allow and Deny), in evaluation order. */
  readonly matched: readonly DecisionEvidence[];
}
