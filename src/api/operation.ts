import type { Caller } from '../auth/caller.js';
import type { RequestTerms } from '../auth/authorization/request-terms.js';
import type { KeyScope, KmsKey } from '../keys/key.js';
import type { KeyUsage } from '../keys/key-spec.js';
import type { KeyStateRule } from '../keys/key-state.js';
import type { ServiceDependencies } from '../service/services.js';
import type { KmsOperationName, KmsOperations } from './generated/kms-shapes.js';

export type Input<Op extends KmsOperationName> = KmsOperations[Op]['input'];
export type Output<Op extends KmsOperationName> = KmsOperations[Op]['output'];

/**
 * How an operation names a key, declared once so the pipeline resolves, authorizes and checks it the same
 * way for every operation.
 */
export interface KeyDeclaration<Op extends KmsOperationName, Validated = undefined> {
  /**
   * The key reference the request carries (undefined: not named, answered `NotFoundException`). Given what the
   * operation's `validate` returned, so a key named inside the input (Decrypt's ciphertext) is read only once, and
   * the request's scope (a ciphertext of a multi-Region key names the related key of the request's region).
   */
  readonly reference: (input: Input<Op>, validated: Validated, scope: KeyScope) => string | undefined;
  /** Whether `alias/...` and alias ARNs are accepted (AWS refuses them in management operations). */
  readonly acceptsAlias: boolean;
  readonly states: KeyStateRule;
  /** The key usages the operation works with; others get `InvalidKeyUsageException`. */
  readonly usages?: readonly KeyUsage[];
  /** The IAM action checked for this key, when it is not the operation's own (ReEncryptFrom/To). */
  readonly action?: string;
  /** What the request asks of this key, when it differs from the operation's `terms` (ReEncrypt's two sides). */
  readonly terms?: (input: Input<Op>) => RequestTerms;
}

/**
 * One KMS request as an operation's handler sees it: the facts the pipeline established (who asks, in which
 * account and region, with what validated input, over which connection), frozen. Services are passed beside
 * it, not in it: they are the server's, not the request's.
 */
export interface KmsRequest<Op extends KmsOperationName> {
  readonly requestId: string;
  readonly caller: Caller;
  /** The caller's account and the request's region. */
  readonly scope: KeyScope;
  readonly input: Input<Op>;
}

/** One more question for the authorizer: an action with its terms, on a key or (none) on the account. */
export interface FurtherAuthorization {
  readonly action: string;
  readonly terms: RequestTerms;
  readonly key?: KmsKey;
}

/** A request on a key, once the pipeline has resolved, authorized and checked it. */
export interface KeyRequest<Op extends KmsOperationName, Validated = undefined> extends KmsRequest<Op> {
  /** What the operation's `validate` returned (undefined when it declares none). */
  readonly validated: Validated;
  readonly key: KmsKey;
  /** Only for operations that declare a destination key (ReEncrypt). */
  readonly destinationKey?: KmsKey;
}

interface OperationBase<Op extends KmsOperationName> {
  readonly name: Op;
  /** The IAM action, `kms:<Operation>`. */
  readonly action: string;
  /** Whether the operation changes nothing (recorded in the audit trail as `readOnly`; the only place it is said). */
  readonly readOnly: boolean;
  /**
   * What the request asks for, in the authorizer's words (encryption context, algorithms, grant tokens, tags,
   * ...): the values its condition keys and grant checks are judged by. Absent: the request states nothing
   * beyond its caller, key and action. Runs on validated input, before the key is looked up.
   */
  readonly terms?: (input: Input<Op>) => RequestTerms;
}

/**
 * An operation on one key (and, for ReEncrypt, a second): the pipeline resolves the keys first.
 * `Validated` is what the operation's `validate` makes of the input, handed on to every later step.
 */
export interface KeyOperation<Op extends KmsOperationName, Validated = undefined> extends OperationBase<Op> {
  /**
   * Checks of the input that AWS makes before it looks the key up (so they fail the same way whatever the key),
   * run by the pipeline after the input's shape is validated. What it returns — the input's parsed parts — is
   * given to the key references as their second argument and to the handlers as `validated`, so nothing is
   * parsed twice. GenerateDataKey checks `KeySpec`/`NumberOfBytes` here; Decrypt reads the ciphertext.
   */
  readonly validate?: (input: Input<Op>) => Validated;
  readonly key: KeyDeclaration<Op, Validated>;
  readonly destinationKey?: KeyDeclaration<Op, Validated>;
  /**
   * Authorizations the request needs beyond its named keys', asked by the pipeline right after them: ReplicateKey's
   * kms:CreateKey in the replica's region, UpdatePrimaryRegion's on the key in the new primary region.
   */
  readonly alsoAuthorize?: (
    request: KeyRequest<Op, Validated>,
    deps: ServiceDependencies,
  ) => Promise<readonly FurtherAuthorization[]>;
  /**
   * What a `DryRun` checks beyond authorization and key state, run before the pipeline answers
   * `DryRunOperationException` (Decrypt and ReEncrypt check the ciphertext unless `DryRunModifiers` says
   * `IGNORE_CIPHERTEXT`). Throwing answers the request with that error instead.
   */
  readonly dryRun?: (request: KeyRequest<Op, Validated>, deps: ServiceDependencies) => Promise<void>;
  readonly handle: (request: KeyRequest<Op, Validated>, deps: ServiceDependencies) => Promise<Output<Op>>;
}

/** An operation on the account as a whole (CreateKey, ListKeys, GenerateRandom, ...). */
export interface AccountOperation<Op extends KmsOperationName> extends OperationBase<Op> {
  readonly key?: undefined;
  readonly handle: (request: KmsRequest<Op>, deps: ServiceDependencies) => Promise<Output<Op>>;
}

export type Operation<Op extends KmsOperationName = KmsOperationName, Validated = undefined> =
  | KeyOperation<Op, Validated>
  | AccountOperation<Op>;

/** Declares an operation on a key. The helpers exist so each operation file reads as a declaration. */
export function keyOperation<Op extends KmsOperationName, Validated = undefined>(
  definition: KeyOperation<Op, Validated>,
): KeyOperation<Op, Validated> {
  return Object.freeze(definition);
}

export function accountOperation<Op extends KmsOperationName>(
  definition: Omit<AccountOperation<Op>, 'key'>,
): AccountOperation<Op> {
  return Object.freeze({ ...definition, key: undefined });
}
