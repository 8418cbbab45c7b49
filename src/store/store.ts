import type { CustomKeyStore, HsmCluster } from '../keys/custom-key-store.js';
import type { Alias, KeyMaterial, KeyScope, KmsKey } from '../keys/key.js';
import type { KeyState } from '../keys/key-state.js';
import type { CacheCounts } from '../observability/cache-counter.js';

/**
 * The storage interface every backend implements (SQLite embedded, PostgreSQL for several nodes).
 * Every method that changes something resolves only after the change is durable (committed and synced):
 * callers answer requests on that promise. Every method is atomic on its own.
 *
 * The contract test suite (`test/store/store-contract.ts`) is run against every backend.
 */
export interface Store {
  readonly keys: KeyRepository;
  readonly aliases: AliasRepository;
  readonly identities: IdentityRepository;
  readonly grants: GrantRepository;
  readonly settings: SettingsRepository;
  readonly keyStores: CustomKeyStoreRepository;
  /** The credentials that sign calls to the XKS proxy API this server serves (ADR 0023, Decision 2). */
  readonly xksCredentials: XksCredentialRepository;
  /**
   * Development mode's reset (docs/development-mode.md#resetting-state), in one transaction: deletes every key
   * with its material versions, aliases and grants, every custom key store (registered HSM clusters stay), every IAM user, role and inline policy, and every access key
   * that is not an account root's (IAM users' keys, role sessions), in every account and region. Accounts, their
   * root access keys and the settings stay, and so do XKS credentials (operator configuration, like the registered
   * HSM clusters) with the IAM users they act as. Resolves with what it deleted, after the listeners of
   * `onStateCleared` in this process have run.
   */
  clearState(): Promise<ClearedState>;
  /**
   * Calls `listener` (synchronously, so it must be quick: clear a cache) once for every `clearState`, run by this
   * process or by another sharing the store — in the other processes no later than their next `keys.get` or
   * `identities.getAccessKey` returns after a `catchUp()`: the lookups a request makes before it reaches any cache
   * of key data.
   * After a reset a key may be created again with the same id and revision 1: caches of what was read before
   * it must go.
   */
  onStateCleared(listener: () => void): void;
  /**
   * Brings this process's caches up to every change committed anywhere before the call, whichever process or
   * node made it. The API calls it as each request arrives, before the request looks anything up, so that no
   * request is answered from what an acknowledged change has replaced (ADR 0018). SQLite checks its file in place
   * at each lookup and has nothing to do here; PostgreSQL reads its change counter, once for all the requests
   * that arrived meanwhile. Rejects when the database cannot be reached.
   */
  catchUp(): Promise<void>;
  /**
   * Runs `work` (a background job: rotation and deletion, audit retention) unless another process or node sharing
   * the store runs the job of that `name` right now; then resolves `undefined` without running it. On PostgreSQL
   * this is an advisory lock, released also when the node holding it dies; SQLite's processes share one data
   * directory on one machine, and only the primary of each runs jobs.
   */
  exclusively<T>(name: string, work: () => Promise<T>): Promise<T | undefined>;
  /**
   * `strongroom rewrap`: every secret the store holds wrapped by the root of trust — each key material version, each
   * secret access key, each wrapped setting — replaced by what `rewrap` makes of it, and `putSettings` written (the
   * new root's record and check value), all in one transaction: afterwards only the new root opens the store, and
   * if anything fails nothing changed. The callbacks run inside the transaction and must be synchronous.
   * Resolves with how many secrets were re-wrapped.
   */
  rewrapSecrets(rewrap: SecretRewrap): Promise<RewrappedSecrets>;
  /**
   * Hits and misses of the lookups this process answers from memory while nothing changed (keys, access keys, key
   * stores: `withCachedLookups`), for `/metrics`. Absent on a wrapped store that does not pass it on.
   */
  readonly lookupCounts?: CacheCounts;
  /** Flushes and closes; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** How `Store.rewrapSecrets` re-wraps each kind of secret: from the old wrapped bytes to the new. */
export interface SecretRewrap {
  /** A key material version (a key in a CloudHSM key store has none: its key is in the token, ADR 0022). */
  readonly material: (keyArn: string, materialId: string, wrapped: Buffer) => Buffer;
  readonly accessKey: (accessKeyId: string, wrappedSecret: Buffer) => Buffer;
  /**
   * A custom key store's secret: a CloudHSM store's `KeyStorePassword` (the token user's PIN), or an external key
   * store's proxy credential secret.
   */
  readonly keyStoreSecret: (keyStoreId: string, secret: KeyStoreSecret, wrapped: Buffer) => Buffer;
  /** The secret of an XKS credential (ADR 0023), wrapped with its access key id in the AAD. */
  readonly xksCredential: (accessKeyId: string, wrappedSecret: Buffer) => Buffer;
  /** A setting's new value, or undefined when the setting holds no wrapped secret (left as it is). */
  readonly setting: (name: string, value: string) => string | undefined;
  /** Written in the same transaction: the new root of trust's record and check value. */
  readonly putSettings: Readonly<Record<string, string>>;
  /** Deleted in the same transaction (the old root's record, when moving to a key file). */
  readonly deleteSettings: readonly string[];
}

/** Which of a custom key store's secrets `SecretRewrap.keyStoreSecret` is given. */
export type KeyStoreSecret = 'pin' | 'xks-proxy-secret';

export interface RewrappedSecrets {
  readonly materials: number;
  readonly accessKeys: number;
  readonly keyStoreSecrets: number;
  readonly xksCredentials: number;
  readonly settings: number;
}

/** What `Store.clearState` deleted, counted (material versions go with their keys, and are not counted). */
export interface ClearedState {
  readonly keys: number;
  readonly aliases: number;
  readonly grants: number;
  readonly users: number;
  readonly roles: number;
  readonly policies: number;
  /** IAM users' access keys and role sessions' temporary credentials. */
  readonly accessKeys: number;
  /** Custom key stores (deleted after their keys; the registered HSM clusters stay). */
  readonly keyStores: number;
}

export interface PageRequest {
  readonly limit: number;
  /** The `nextMarker` of the previous page; opaque to callers. */
  readonly marker?: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Present when more items follow. */
  readonly nextMarker?: string;
}

/** Thrown by a backend when an update's expected revision is not the stored one (a concurrent change). */
export class RevisionConflictError extends Error {
  constructor(what: string) {
    super(`concurrent modification of ${what}`);
    this.name = 'RevisionConflictError';
  }
}

/** Thrown by a backend when a page marker is not one it issued. */
export class InvalidMarkerError extends Error {
  constructor() {
    super('invalid marker');
    this.name = 'InvalidMarkerError';
  }
}

/**
 * Thrown by a backend when a delete would leave rows pointing at nothing: an HSM cluster a custom key store
 * uses, a custom key store that still has keys.
 */
export class InUseError extends Error {
  constructor(what: string) {
    super(`${what} is in use`);
    this.name = 'InUseError';
  }
}

/** Thrown by a backend when an insert names a row that does not exist (a key in a deleted custom key store). */
export class MissingReferenceError extends Error {
  constructor(what: string) {
    super(`${what} does not exist`);
    this.name = 'MissingReferenceError';
  }
}

/** Thrown by a backend when an insert would duplicate a unique name (an alias, an account, an access key). */
export class DuplicateError extends Error {
  /** What is duplicated: `alias alias/x`, `custom key store name`, `cluster`, ... */
  readonly what: string;

  constructor(what: string) {
    super(`${what} already exists`);
    this.what = what;
    this.name = 'DuplicateError';
  }
}

export interface KeyRepository {
  /** Stores a new key (revision 1) with its first material (none for a key of origin EXTERNAL). */
  create(key: KmsKey, material?: KeyMaterial): Promise<void>;
  get(scope: KeyScope, keyId: string): Promise<KmsKey | undefined>;
  /** Keys of one account and region in a stable order (by key id). */
  list(scope: KeyScope, page: PageRequest): Promise<Page<KmsKey>>;
  /**
   * A multi-Region key's related keys: every key of the account with this id, in any region, ordered by region.
   * (A single-Region key id is a UUID drawn per key, so for it this finds the key alone.)
   */
  listRelated(accountId: string, keyId: string): Promise<KmsKey[]>;
  /**
   * Replaces the stored key with `key`, whose `revision` must be the stored revision + 1
   * (else `RevisionConflictError`). `newMaterial`, if given, is appended in the same transaction (rotation).
   */
  update(key: KmsKey, newMaterial?: KeyMaterial): Promise<void>;
  /**
   * Several keys' changes in one transaction, all or nothing: a multi-Region key's shared properties change on
   * every related key at once. A write whose key has revision 1 creates it; any other is an update checked as
   * `update` checks it (`RevisionConflictError` rolls the whole transaction back). `addMaterials` are appended,
   * `removeMaterialIds` deleted (imported material, deleted for good: the wrapped bytes leave the store).
   */
  write(writes: readonly KeyWrite[]): Promise<void>;
  /** Deletes the key, all its material versions and every alias that points to it. */
  delete(scope: KeyScope, keyId: string): Promise<void>;
  getMaterial(keyArn: string, materialId: string): Promise<KeyMaterial | undefined>;
  /** All material versions of a key, oldest first. */
  listMaterials(keyArn: string): Promise<KeyMaterial[]>;
  /**
   * Keys in every account and region with background work due at or before `now`: a `PendingDeletion`
   * key whose `deletionAt` has passed, a key whose `rotation.nextRotationAt` has passed (primaries and
   * single-Region keys only: a replica rotates with its primary), or a key with imported material whose
   * `validTo` has passed.
   */
  listDue(now: number): Promise<KmsKey[]>;
  /**
   * How many keys are in each state, in every account and region (for `/metrics`, read at each scrape: one
   * aggregate query). A state no key is in is left out. The state as stored: a key of a disconnected custom key
   * store counts in its own state, not as `Unavailable`.
   */
  countByState(): Promise<Partial<Record<KeyState, number>>>;
}

/**
 * Custom key stores (ADR 0022) and the HSM clusters the operator registered for them. A key in a store names it
 * (`KmsKey.customKeyStoreId`, stored in its own column too); the backend keeps that reference checked both ways:
 * `KeyRepository.create` of a key naming a store that does not exist throws `MissingReferenceError`, and
 * deleting a store that keys name throws `InUseError`.
 */
export interface CustomKeyStoreRepository {
  /** Throws `DuplicateError` when the cluster id is registered already. */
  registerCluster(cluster: HsmCluster): Promise<void>;
  getCluster(clusterId: string): Promise<HsmCluster | undefined>;
  /** Every registered cluster, by cluster id. */
  listClusters(): Promise<HsmCluster[]>;
  /** Resolves false when no such cluster is registered; throws `InUseError` while a store uses it. */
  removeCluster(clusterId: string): Promise<boolean>;
  /**
   * Stores a new store (revision 1). Throws `DuplicateError('custom key store name')` when the account and region
   * have a store of that name, `DuplicateError('cluster')` when another store (in any account) uses its cluster.
   */
  create(store: CustomKeyStore): Promise<void>;
  get(scope: KeyScope, id: string): Promise<CustomKeyStore | undefined>;
  getByName(scope: KeyScope, name: string): Promise<CustomKeyStore | undefined>;
  /** Stores of one account and region, by id. */
  list(scope: KeyScope, page: PageRequest): Promise<Page<CustomKeyStore>>;
  /**
   * Replaces the stored store with `store`, whose `revision` must be the stored revision + 1 (else
   * `RevisionConflictError`); `DuplicateError` as `create` for a name or cluster another store has.
   */
  update(store: CustomKeyStore): Promise<void>;
  /** Deletes the store; throws `InUseError` while any key (in any state) names it. Deleting none is no error. */
  delete(scope: KeyScope, id: string): Promise<void>;
}

/** One key's part of a `KeyRepository.write`. */
export interface KeyWrite {
  readonly key: KmsKey;
  readonly addMaterials?: readonly KeyMaterial[];
  readonly removeMaterialIds?: readonly string[];
}

export interface AliasRepository {
  /** Throws `DuplicateError` when the name is taken in that account and region. */
  create(alias: Alias): Promise<void>;
  get(scope: KeyScope, name: string): Promise<Alias | undefined>;
  /** Replaces an existing alias (same scope and name). */
  update(alias: Alias): Promise<void>;
  delete(scope: KeyScope, name: string): Promise<void>;
  /** Aliases of one account and region ordered by name; only those pointing to `keyId` when given. */
  list(scope: KeyScope, page: PageRequest & { readonly keyId?: string }): Promise<Page<Alias>>;
}

export type PrincipalType = 'Root' | 'IAMUser' | 'AssumedRole';

export interface Account {
  readonly id: string;
  readonly createdAt: number;
}

/**
 * An access key. The secret is stored only wrapped by the root key (`wrappedSecret`), because SigV4
 * verification needs the secret itself. Temporary credentials carry a session token (stored as its
 * SHA-256 digest) and an expiry.
 */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly principalArn: string;
  readonly principalType: PrincipalType;
  /** The stable principal id (`AIDA...` for users, the account id for root, `AROA...:session` for roles). */
  readonly principalId: string;
  readonly userName?: string;
  readonly wrappedSecret: Buffer;
  readonly status: 'Active' | 'Inactive';
  readonly createdAt: number;
  readonly expiresAt?: number;
  readonly sessionTokenHash?: Buffer;
}

/**
 * A credential of the XKS proxy API (ADR 0023, Decision 2): what AWS KMS (or another Strongroom) signs its calls to
 * `strongroom serve --xks-proxy` with, service `kms-xks-proxy`. It authenticates nowhere else, and acts as the IAM
 * user `userName` of `accountId`, whose key policies decide what it may do. The secret is stored only wrapped by the
 * root of trust, with the access key id in the AAD.
 */
export interface XksCredential {
  /** 20 to 30 characters of `[A-Z2-7]`, as the XKS specification requires. */
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly userName: string;
  readonly wrappedSecret: Buffer;
  readonly createdAt: number;
  /** When a request signed with it was last authenticated (updated at most hourly); absent if never. */
  readonly lastUsedAt?: number;
}

export interface XksCredentialRepository {
  /** Throws `DuplicateError` if the access key id exists. */
  create(credential: XksCredential): Promise<void>;
  get(accessKeyId: string): Promise<XksCredential | undefined>;
  /** Every credential, or those of one account, by access key id. */
  list(accountId?: string): Promise<XksCredential[]>;
  /** Resolves false when there was no such credential. */
  delete(accessKeyId: string): Promise<boolean>;
  /** Records a use: sets `lastUsedAt` (never moving it back). Using a deleted credential's id changes nothing. */
  recordUse(accessKeyId: string, at: number): Promise<void>;
}

export interface IdentityRepository {
  /** Throws `DuplicateError` if the account exists. */
  createAccount(account: Account): Promise<void>;
  getAccount(accountId: string): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;
  /** Throws `DuplicateError` if the access key id exists. */
  createAccessKey(accessKey: AccessKey): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKey | undefined>;
  listAccessKeys(principalArn: string): Promise<AccessKey[]>;
  deleteAccessKey(accessKeyId: string): Promise<void>;
  /** Sets an access key's status (an inactive key authenticates nothing); no such key: nothing changes. */
  setAccessKeyStatus(accessKeyId: string, status: AccessKey['status']): Promise<void>;
  /** Deletes temporary credentials whose expiry is at or before `now`; resolves with how many. */
  deleteExpiredAccessKeys(now: number): Promise<number>;

  /** Throws `DuplicateError` if the user name exists in the account. */
  createUser(user: IamUser): Promise<void>;
  getUser(accountId: string, userName: string): Promise<IamUser | undefined>;
  listUsers(accountId: string): Promise<IamUser[]>;
  /** Deletes the user only (callers refuse while access keys or policies remain, as IAM does). */
  deleteUser(accountId: string, userName: string): Promise<void>;
  /** Throws `DuplicateError` if the role name exists in the account. */
  createRole(role: IamRole): Promise<void>;
  getRole(accountId: string, roleName: string): Promise<IamRole | undefined>;
  listRoles(accountId: string): Promise<IamRole[]>;
  deleteRole(accountId: string, roleName: string): Promise<void>;
  /** Replaces a role's trust policy (its name matched as `getRole` matches it); no such role: nothing changes. */
  setRoleTrustPolicy(accountId: string, roleName: string, trustPolicy: string): Promise<void>;
  /** Creates or replaces an inline identity policy of a user or role (by principal ARN and policy name). */
  putPolicy(policy: InlinePolicy): Promise<void>;
  getPolicy(principalArn: string, policyName: string): Promise<InlinePolicy | undefined>;
  /** A principal's inline policies, by name. */
  listPolicies(principalArn: string): Promise<InlinePolicy[]>;
  deletePolicy(principalArn: string, policyName: string): Promise<void>;
}

/** An IAM user: `arn:aws:iam::<account>:user<path><name>`. */
export interface IamUser {
  readonly accountId: string;
  readonly userName: string;
  /** `AIDA...` */
  readonly userId: string;
  readonly arn: string;
  readonly path: string;
  readonly createdAt: number;
}

/** An IAM role; `trustPolicy` decides who may assume it. */
export interface IamRole {
  readonly accountId: string;
  readonly roleName: string;
  /** `AROA...` */
  readonly roleId: string;
  readonly arn: string;
  readonly path: string;
  readonly trustPolicy: string;
  readonly description?: string;
  readonly maxSessionDurationSeconds: number;
  readonly createdAt: number;
}

/** An inline identity policy attached to a user or a role. */
export interface InlinePolicy {
  readonly principalArn: string;
  readonly policyName: string;
  readonly document: string;
}

/** A KMS grant. The grant token is stored as its SHA-256 digest only. */
export interface Grant {
  readonly keyArn: string;
  readonly grantId: string;
  readonly name?: string;
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string;
  readonly operations: readonly string[];
  readonly constraints?: {
    readonly encryptionContextSubset?: Readonly<Record<string, string>>;
    readonly encryptionContextEquals?: Readonly<Record<string, string>>;
  };
  /** The account of the principal that created the grant. */
  readonly issuingAccount: string;
  readonly createdAt: number;
  readonly tokenHash: Buffer;
}

export interface GrantRepository {
  /** Throws `DuplicateError` if the grant id exists for the key. */
  create(grant: Grant): Promise<void>;
  get(keyArn: string, grantId: string): Promise<Grant | undefined>;
  /** Grants of a key, in creation order. */
  list(keyArn: string, page: PageRequest): Promise<Page<Grant>>;
  /** Every grant of a key (for authorization: a key has at most a few thousand grants). */
  listAll(keyArn: string): Promise<Grant[]>;
  /** Grants whose retiring principal is `principalArn`, across keys. */
  listRetirable(principalArn: string, page: PageRequest): Promise<Page<Grant>>;
  findByTokenHash(tokenHash: Buffer): Promise<Grant | undefined>;
  delete(keyArn: string, grantId: string): Promise<void>;
}

/** The setting naming the administrator's account: the account created at first start, whose root administers. */
export const ADMINISTRATOR_ACCOUNT_SETTING = 'default-account-id';

/**
 * The setting holding the root key's check value on a shared database (its public fingerprint, `RootKey.id`):
 * a node whose root key does not have it refuses to start. Never the key.
 */
export const ROOT_KEY_CHECK_SETTING = 'root-key-check';

/** Small named values the server keeps (the default account id, the schema version, ...). Not secrets. */
export interface SettingsRepository {
  get(name: string): Promise<string | undefined>;
  put(name: string, value: string): Promise<void>;
}
