/** A tag a request sets, in the authorizer's words. */
export interface RequestedTag {
  readonly key: string;
  readonly value: string;
}

/** The grant a CreateGrant request asks for, as far as condition keys and delegation rules care. */
export interface RequestedGrant {
  readonly operations: readonly string[];
  readonly encryptionContextSubset?: Readonly<Record<string, string>>;
  readonly encryptionContextEquals?: Readonly<Record<string, string>>;
}

/**
 * What a request asks for, in the authorizer's vocabulary: the values its condition keys and grant rules are
 * judged by. Each operation states its own terms (its declaration's `terms`, in `api/operations/`), so the
 * authorizer never reads a wire member; what a request does not state is absent, and absent condition keys
 * behave as in AWS (`...IfExists`, `Null`). Defaults AWS applies before authorizing (a rotation period of 365
 * days, a waiting period of 30) are the operation's to fill in.
 *
 * @example
 *   // Decrypt with an encryption context and a grant token:
 *   const terms: RequestTerms = { encryptionContext: { tenant: 'a' }, grantTokens: [token] };
 */
export interface RequestTerms {
  /**
   * The encryption context the request is judged by: the request's, ReEncrypt's source or destination side's,
   * or for CreateGrant its constraints' (AWS applies kms:EncryptionContext:* there to the constraints).
   */
  readonly encryptionContext?: Readonly<Record<string, string>>;
  /** As the request names it; a symmetric key's cryptographic operations default to SYMMETRIC_DEFAULT. */
  readonly encryptionAlgorithm?: string;
  readonly signingAlgorithm?: string;
  readonly macAlgorithm?: string;
  /** Sign and Verify: `RAW` or `DIGEST`. */
  readonly messageType?: string;
  /** Grant tokens sent with the request: their grants count as if already stored. */
  readonly grantTokens?: readonly string[];
  /** CreateGrant: the grant asked for. */
  readonly requestedGrant?: RequestedGrant;
  /** RetireGrant: the grant to retire, by token or by id. */
  readonly grantToRetire?: { readonly grantToken?: string; readonly grantId?: string };
  /** Tags the request sets (CreateKey, TagResource). */
  readonly tags?: readonly RequestedTag[];
  /** Tag keys the request removes (UntagResource). */
  readonly removedTagKeys?: readonly string[];
  /** GenerateDataKeyPair[WithoutPlaintext]: the spec of the data key pair asked for. */
  readonly dataKeyPairSpec?: string;
  /** CreateKey: the key it would make. */
  readonly newKey?: { readonly spec: string; readonly usage: string; readonly origin: string; readonly multiRegion?: boolean };
  /** ReplicateKey: the region of the replica asked for (kms:ReplicaRegion). */
  readonly replicaRegion?: string;
  /** UpdatePrimaryRegion: the region that is to hold the primary (kms:PrimaryRegion). */
  readonly primaryRegion?: string;
  readonly rotationPeriodInDays?: number;
  readonly pendingWindowInDays?: number;
  readonly bypassPolicyLockoutSafetyCheck?: boolean;
}
