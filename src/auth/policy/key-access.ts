import type { CompiledPolicy } from './compiled-policy.js';
import { ConditionLookup } from './condition-lookup.js';
import type { Decision, DecisionEvidence, DecisionReason, EvidenceSource } from './decision.js';
import { evaluatePolicy, type PolicyEvaluation } from './evaluate-policy.js';
import { findAllowingGrant, type GrantForEvaluation } from '../grants/grant-evaluation.js';
import { accountOfArn, type RequestContext } from './request-context.js';

/** An identity policy (inline or attached) with the name explanations show. */
export interface NamedPolicy {
  readonly name: string;
  readonly policy: CompiledPolicy;
}

export interface KeyAccessQuestion {
  readonly keyPolicy: CompiledPolicy;
  /** The caller's identity policies (user policies, or the assumed role's policies). */
  readonly identityPolicies: readonly NamedPolicy[];
  /** Grants for this key whose grantee is the caller, already filtered (and not retired) by the caller. */
  readonly grants: readonly GrantForEvaluation[];
  readonly request: RequestContext;
}

/**
 * AWS KMS's authorization of an action on a key (Developer Guide, "Determining access to a KMS key"):
 * 1. an explicit Deny in the key policy or an identity policy wins;
 * 2. same account: a key policy Allow naming the caller (user, role, session, `*`) allows; an Allow naming
 *    the account root delegates, and then an identity policy Allow is needed;
 * 3. another account: the key policy must name the caller or its account AND the caller's identity
 *    policies must allow;
 * 4. a grant listing the operation (under its encryption context constraints) allows.
 * The root user of an account has implicit identity permissions but is still subject to the key policy.
 *
 * @example
 *   const decision = evaluateKeyAccess({ keyPolicy, identityPolicies: [], grants: [], request });
 *   if (decision.effect !== 'Allow') throw accessDeniedException(decision, request);
 */
export function evaluateKeyAccess(question: KeyAccessQuestion): Decision {
  const { request } = question;
  const lookup = new ConditionLookup(request);
  const isRoot = request.principal.type === 'Root';
  const keyEvaluation = evaluatePolicy(question.keyPolicy, request, lookup);
  const identityEvaluations = isRoot ? [] : evaluateIdentities(question.identityPolicies, request, lookup);
  const matched = [...evidence('key-policy', keyEvaluation), ...identityEvaluations.flatMap(([name, result]) => evidence(`identity-policy:${name}`, result))];

  if (keyEvaluation.denies.length > 0) return decide('ExplicitDeny', 'key-policy', matched);
  if (identityEvaluations.some(([, result]) => result.denies.length > 0)) return decide('ExplicitDeny', 'identity-policy', matched);

  const keyAllowsDirectly = keyEvaluation.allows.some((match) => match.via === 'direct');
  const keyDelegates = keyEvaluation.allows.some((match) => match.via === 'account');
  const identityAllows = isRoot || identityEvaluations.some(([, result]) => result.allows.length > 0);
  const sameAccount = request.principal.accountId === accountOfArn(request.resource);

  if (sameAccount && keyAllowsDirectly) return decide('Allow', 'key-policy', matched);
  if ((keyAllowsDirectly || keyDelegates) && identityAllows) return decide('Allow', isRoot ? 'key-policy' : 'identity-policy', matched);

  const grant = findAllowingGrant(question.grants, request);
  if (grant !== undefined) {
    return decide('Allow', 'grant', [...matched, { source: `grant:${grant.id}`, effect: 'Allow' }]);
  }
  return decide('ImplicitDeny', keyAllowsDirectly || keyDelegates ? 'identity-policy' : 'key-policy', matched);
}

/**
 * Authorization of an action on no key (CreateKey, ListKeys, ListAliases, GenerateRandom, ...): identity
 * policies alone decide; an account's root user is implicitly allowed.
 */
export function evaluateIdentityOnly(question: { readonly identityPolicies: readonly NamedPolicy[]; readonly request: RequestContext }): Decision {
  const { request } = question;
  if (request.principal.type === 'Root') return decide('Allow', 'root-identity', []);
  const lookup = new ConditionLookup(request);
  const evaluations = evaluateIdentities(question.identityPolicies, request, lookup);
  const matched = evaluations.flatMap(([name, result]) => evidence(`identity-policy:${name}`, result));
  if (evaluations.some(([, result]) => result.denies.length > 0)) return decide('ExplicitDeny', 'identity-policy', matched);
  if (evaluations.some(([, result]) => result.allows.length > 0)) return decide('Allow', 'identity-policy', matched);
  return decide('ImplicitDeny', 'identity-policy', matched);
}

function evaluateIdentities(
  policies: readonly NamedPolicy[],
  request: RequestContext,
  lookup: ConditionLookup,
): Array<readonly [string, PolicyEvaluation]> {
  return policies.map(({ name, policy }) => [name, evaluatePolicy(policy, request, lookup)] as const);
}

function evidence(source: EvidenceSource, evaluation: PolicyEvaluation): DecisionEvidence[] {
  if (evaluation.allows.length === 0 && evaluation.denies.length === 0) return [];
  return [...evaluation.denies, ...evaluation.allows].map(({ statement, via }) => ({
    source,
    effect: statement.effect,
    statementIndex: statement.index,
    ...(statement.sid === undefined ? {} : { sid: statement.sid }),
    ...(via === 'account' && statement.effect === 'Allow' ? { delegatedToAccount: true } : {}),
  }));
}

function decide(effect: Decision['effect'], reason: DecisionReason, matched: readonly DecisionEvidence[]): Decision {
  return { effect, reason, matched };
}
