import type { KmsKey } from '../../keys/key.js';
import { KEY_SPECS } from '../../keys/key-spec.js';
import type { Store } from '../../store/store.js';
import type { AuthorizationRequest, Authorizer } from './authorizer.js';
import { resolveCallerIdentity, type CallerIdentity } from './caller-identity.js';
import { buildConditionKeys } from './condition-keys.js';
import { coversRequestedGrant } from '../grants/grant-delegation.js';
import { parseGrantToken } from '../grants/grant-token.js';
import { grantsForEvaluation, grantsOfTokens, KeyGrantCache } from '../grants/key-grants.js';
import { decideRetireGrant } from '../grants/retire-grant-rules.js';
import { listResourceAliases, mentionsResourceAliases } from './resource-aliases.js';
import {
  accessDeniedException, evaluateIdentityOnly, evaluateKeyAccess, PolicyCache,
  type Decision, type RequestContext,
} from '../policy/index.js';

export interface PolicyAuthorizerOptions {
  readonly store: Store;
  /** Epoch milliseconds (aws:CurrentTime, aws:EpochTime). */
  readonly now: () => number;
  readonly policies?: PolicyCache;
  readonly grants?: KeyGrantCache;
  /** Receives each denial with its explanation, for the server log — never for the caller. */
  readonly onDenied?: (explained: ExplainedDecision, request: AuthorizationRequest) => void;
}

/** A decision with the question it answered: what `strongroom authz explain` prints. */
export interface ExplainedDecision {
  readonly decision: Decision;
  readonly request: RequestContext;
}

/**
 * AWS KMS's authorization, enforced on every request: key policies, IAM identity policies and grants, with
 * condition keys built from the request (see ADR 0003 and docs/authorization.md).
 * Hot path for a key without grants and a caller without identity policies (an account's root user): one
 * cached policy compile lookup, one cached grant-list check by key revision, one evaluation.
 *
 * @example
 *   const authorizer = new PolicyAuthorizer({ store, now: Date.now, onDenied: (e) => log.info('access denied', summary(e)) });
 *   await authorizer.authorize({ caller, action: 'kms:Decrypt', key, input, sourceIp, secureTransport });
 */
export class PolicyAuthorizer implements Authorizer {
  readonly #store: Store;
  readonly #now: () => number;
  readonly #policies: PolicyCache;
  readonly #grants: KeyGrantCache;
  readonly #onDenied: PolicyAuthorizerOptions['onDenied'];

  constructor(options: PolicyAuthorizerOptions) {
    this.#store = options.store;
    this.#now = options.now;
    this.#policies = options.policies ?? new PolicyCache();
    this.#grants = options.grants ?? new KeyGrantCache(options.store.grants);
    this.#onDenied = options.onDenied;
  }

  /** Resolves when allowed; throws AWS's AccessDeniedException (which names no statement) when not. */
  async authorize(request: AuthorizationRequest): Promise<void> {
    const explained = await this.explain(request);
    if (explained.decision.effect === 'Allow') return;
    this.#onDenied?.(explained, request);
    throw accessDeniedException(explained.decision, explained.request);
  }

  /** The decision and its evidence, without enforcing it (administrators' explanations). */
  async explain(request: AuthorizationRequest): Promise<ExplainedDecision> {
    const identity = await resolveCallerIdentity(this.#store.identities, request.caller, this.#policies);
    const { key } = request;
    if (key === undefined) {
      const context = this.#context(request, identity, undefined);
      return { decision: evaluateIdentityOnly({ identityPolicies: identity.identityPolicies, request: context }), request: context };
    }
    const keyPolicy = this.#policies.get(key.policy, 'key');
    const needsAliases = mentionsResourceAliases([keyPolicy, ...identity.identityPolicies.map((named) => named.policy)]);
    const aliases = needsAliases ? await listResourceAliases(this.#store.aliases, key) : undefined;
    const context = this.#context(request, identity, key, aliases);
    if (request.action === 'kms:RetireGrant') return { decision: await this.#retireDecision(request, identity, key, context), request: context };

    const { grantTokens, requestedGrant } = request.terms;
    const stored = await this.#grants.grantsOf(key);
    const fromTokens = grantTokens === undefined ? [] : await grantsOfTokens(this.#store.grants, grantTokens, key);
    let grants = grantsForEvaluation(fromTokens.length === 0 ? stored : [...stored, ...fromTokens], identity.principal);
    if (request.action === 'kms:CreateGrant') {
      // A grant that allows CreateGrant hands on only what it holds (an explanation in the abstract asks for a
      // grant of no operations and no constraints).
      const requested = requestedGrant ?? { operations: [] };
      grants = grants.filter((grant) => coversRequestedGrant(grant, requested));
    }
    const decision = evaluateKeyAccess({ keyPolicy, identityPolicies: identity.identityPolicies, grants, request: context });
    return { decision, request: context };
  }

  async #retireDecision(request: AuthorizationRequest, identity: CallerIdentity, key: KmsKey, context: RequestContext): Promise<Decision> {
    const { grantToken, grantId } = request.terms.grantToRetire ?? {};
    const grant = grantToken !== undefined
      ? await this.#store.grants.findByTokenHash(parseGrantToken(grantToken).tokenHash)
      : grantId !== undefined ? await this.#store.grants.get(key.arn, grantId) : undefined;
    // No such grant: nothing to protect; RetireGrant itself reports it.
    if (grant === undefined || grant.keyArn !== key.arn) return { effect: 'Allow', reason: 'grant', matched: [] };
    return decideRetireGrant(grant, identity.identityPolicies, context);
  }

  #context(request: AuthorizationRequest, identity: CallerIdentity, key: KmsKey | undefined, resourceAliases?: readonly string[]): RequestContext {
    const now = this.#now();
    const { terms } = request;
    const build = () => buildConditionKeys({
      action: request.action,
      terms,
      caller: request.caller,
      sourceIp: request.sourceIp,
      secureTransport: request.secureTransport,
      now,
      ...(key === undefined ? {} : { key }),
      ...(request.requestAlias === undefined ? {} : { requestAlias: request.requestAlias }),
      ...(resourceAliases === undefined ? {} : { resourceAliases }),
    });
    let conditions: ReturnType<typeof buildConditionKeys> | undefined;
    const { encryptionContext } = terms;
    return {
      action: request.action,
      resource: key?.arn ?? '*',
      principal: identity.principal,
      // Built on first read: the engine reads condition keys only for policies that have conditions or
      // variables, so requests under the default key policy never pay for them.
      get conditions() {
        return (conditions ??= build());
      },
      ...(encryptionContext === undefined ? {} : { encryptionContext }),
      ...(key === undefined ? {} : { keySupportsEncryptionContext: KEY_SPECS[key.spec].bindsEncryptionContext }),
    };
  }
}

/**
 * The log fields of a decision: who, what, which resource, and which statements or grants decided — names
 * and positions only, never condition values (an encryption context may be sensitive to its owner).
 */
export function decisionLogFields({ decision, request }: ExplainedDecision): Record<string, unknown> {
  return {
    principal: request.principal.arn,
    action: request.action,
    resource: request.resource,
    effect: decision.effect,
    reason: decision.reason,
    matched: decision.matched.map((evidence) => ({ ...evidence })),
  };
}
