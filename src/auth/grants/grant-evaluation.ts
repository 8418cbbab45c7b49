import type { RequestContext } from '../policy/request-context.js';

/** Grant operations, AWS's `GrantOperation` enum verbatim. */
export type GrantOperation =
  | 'Decrypt' | 'Encrypt' | 'GenerateDataKey' | 'GenerateDataKeyWithoutPlaintext' | 'ReEncryptFrom' | 'ReEncryptTo'
  | 'Sign' | 'Verify' | 'GetPublicKey' | 'CreateGrant' | 'RetireGrant' | 'DescribeKey' | 'GenerateDataKeyPair'
  | 'GenerateDataKeyPairWithoutPlaintext' | 'GenerateMac' | 'VerifyMac' | 'DeriveSharedSecret';

/** What the policy engine needs of a grant (already filtered by the caller to this key and grantee). */
export interface GrantForEvaluation {
  readonly id: string;
  readonly operations: readonly GrantOperation[];
  readonly constraints?: {
    readonly encryptionContextSubset?: Readonly<Record<string, string>>;
    readonly encryptionContextEquals?: Readonly<Record<string, string>>;
  };
}

/**
 * The operations that take an encryption context: the only ones grant constraints apply to (GrantConstraints,
 * API reference). CreateGrant's own rule — a grantee may only create grants at least as constrained — is the
 * CreateGrant handler's to check.
 */
const CONSTRAINED_OPERATIONS: ReadonlySet<string> = new Set([
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext',
]);

/**
 * The first grant that allows the request, or undefined.
 * In a constraint, encryption context keys compare case-insensitively and values case-sensitively, as AWS
 * documents; a constrained operation without an encryption context counts as an empty one.
 */
export function findAllowingGrant(grants: readonly GrantForEvaluation[], request: RequestContext): GrantForEvaluation | undefined {
  for (const grant of grants) {
    if (!grant.operations.some((operation) => `kms:${operation}` === request.action)) continue;
    if (constraintsHold(grant, request)) return grant;
  }
  return undefined;
}

function constraintsHold(grant: GrantForEvaluation, request: RequestContext): boolean {
  const { constraints } = grant;
  if (constraints === undefined) return true;
  if (!CONSTRAINED_OPERATIONS.has(request.action) || request.keySupportsEncryptionContext === false) return true;
  const context = lowerCaseKeys(request.encryptionContext ?? {});
  const { encryptionContextSubset: subset, encryptionContextEquals: equals } = constraints;
  if (subset !== undefined && !containsAll(context, subset)) return false;
  if (equals !== undefined && (!containsAll(context, equals) || context.size !== Object.keys(equals).length)) return false;
  return true;
}

function containsAll(context: ReadonlyMap<string, string>, required: Readonly<Record<string, string>>): boolean {
  return Object.entries(required).every(([key, value]) => context.get(key.toLowerCase()) === value);
}

function lowerCaseKeys(context: Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Object.entries(context).map(([key, value]) => [key.toLowerCase(), value]));
}
