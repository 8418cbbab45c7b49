/**
 * What the policy engine is asked about: who (principal), does what (action), to which resource, and the
 * condition-key values of the request. The request pipeline builds one per request; the engine only reads it.
 */

/** A value of a condition key: single-valued keys carry a scalar, multivalued keys (aws:TagKeys) an array. */
export type ConditionValue = string | readonly string[] | boolean | number | undefined;

/** The kinds of caller Strongroom authenticates. */
export type PrincipalKind = 'Root' | 'IAMUser' | 'AssumedRole';

/** The authenticated caller. */
export interface RequestPrincipal {
  /** The caller's ARN: `arn:aws:iam::<acct>:root`, `...:user/bob`, `arn:aws:sts::<acct>:assumed-role/r/s`. */
  readonly arn: string;
  readonly accountId: string;
  readonly type: PrincipalKind;
  /** aws:userid: the account id for root, the unique id for users, `<role-id>:<session>` for sessions. */
  readonly userId: string;
  /** aws:username: present for IAM users only, as AWS does. */
  readonly username?: string;
  /** For assumed-role sessions: the role's ARN, so key policies naming the role match its sessions. */
  readonly roleArn?: string;
  /** Tags of the user or role (aws:PrincipalTag/<key>). */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * One authorization question.
 *
 * @example
 *   const request: RequestContext = {
 *     action: 'kms:Decrypt',
 *     resource: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
 *     principal: { arn: 'arn:aws:iam::111122223333:user/bob', accountId: '111122223333', type: 'IAMUser',
 *                  userId: 'AIDAEXAMPLE', username: 'bob' },
 *     conditions: { 'kms:EncryptionContext:dept': 'finance', 'aws:SecureTransport': true },
 *   };
 */
export interface RequestContext {
  /** The IAM action, `kms:<Operation>`. */
  readonly action: string;
  /** The resource ARN (the key's ARN), or `*` for actions on no resource (CreateKey, ListKeys...). */
  readonly resource: string;
  readonly principal: RequestPrincipal;
  /**
   * Condition keys and their values (names are matched case-insensitively). The principal's own keys
   * (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username, aws:PrincipalTag/*)
   * are derived from `principal` when absent here.
   */
  readonly conditions: Readonly<Record<string, ConditionValue>>;
  /**
   * The request's encryption context, for grant constraints. Grant constraints apply to the operations that
   * take an encryption context; a missing context there counts as an empty one (fail closed).
   */
  readonly encryptionContext?: Readonly<Record<string, string>>;
  /**
   * False when the key cannot take an encryption context (asymmetric and HMAC keys): AWS then does not apply
   * grant constraints. Defaults to true.
   */
  readonly keySupportsEncryptionContext?: boolean;
}

/** The account that owns an ARN (its fifth field), or undefined for `*` and malformed ARNs. */
export function accountOfArn(arn: string): string | undefined {
  const parts = arn.split(':', 6);
  return parts.length === 6 && parts[4] !== '' ? parts[4] : undefined;
}
