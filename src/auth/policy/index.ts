/**
 * The policy engine: the AWS policy language (parse, validate, compile, evaluate) and AWS KMS's
 * authorization model over key policies, identity policies and grants. Pure functions over data.
 */
export { accessDeniedException, accessDeniedMessage } from './access-denied-message.js';
export type { CompiledPolicy, CompiledStatement, PolicyKind, PolicyVersion, StatementEffect } from './compiled-policy.js';
export type { Decision, DecisionEffect, DecisionEvidence, DecisionReason, EvidenceSource } from './decision.js';
export { defaultKeyPolicy } from '../../keys/default-key-policy.js';
export { findAllowingGrant, type GrantForEvaluation, type GrantOperation } from '../grants/grant-evaluation.js';
export { evaluateIdentityOnly, evaluateKeyAccess, type KeyAccessQuestion, type NamedPolicy } from './key-access.js';
export { KEY_POLICY_MAX_BYTES, parsePolicy, type ParsePolicyOptions } from './parse-policy.js';
export { PolicyCache } from './policy-cache.js';
export { PolicyDocumentError, type PolicyDocumentProblem } from './policy-document-error.js';
export { checkPolicyLockout, POLICY_LOCKOUT_MESSAGE, type PolicyLockoutQuestion } from './policy-lockout.js';
export type { PrincipalExists } from './principal-element.js';
export type { ConditionValue, PrincipalKind, RequestContext, RequestPrincipal } from './request-context.js';
