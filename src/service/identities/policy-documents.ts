import { parsePolicy, PolicyDocumentError, type CompiledPolicy } from '../../auth/policy/index.js';
import { LimitExceeded, MalformedPolicyDocument, type KmsError } from '../../errors.js';

/**
 * Validates an identity or trust policy as IAM does when it is written, mapping the policy engine's neutral
 * `PolicyDocumentError` to IAM's `MalformedPolicyDocument`. Stored documents are re-read later through the
 * `PolicyCache`, so what passes here is what authorization evaluates.
 *
 * @example
 *   validatePolicyDocument(document, 'identity');
 */
export function validatePolicyDocument(document: string, kind: 'identity' | 'trust'): CompiledPolicy {
  try {
    return parsePolicy(document, kind);
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw asIamError(error);
    throw error;
  }
}

function asIamError(error: PolicyDocumentError): KmsError {
  if (error.problem === 'too-large') return new LimitExceeded(error.message);
  return new MalformedPolicyDocument(error.message);
}

/** A policy's size as IAM counts it against its quotas: characters, not counting white space. */
export function policySize(document: string): number {
  return document.replace(/\s/gu, '').length;
}
