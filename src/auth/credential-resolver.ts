import { createHash, timingSafeEqual } from 'node:crypto';
import type { RootOfTrust } from '../crypto/root-of-trust.js';
import { SecretBytes } from '../crypto/secret-bytes.js';
import { ExpiredTokenException, UnrecognizedClientException } from '../errors.js';
import type { AccessKey, IdentityRepository } from '../store/store.js';
import type { Caller } from './caller.js';

/** The development credentials LocalStack users expect (`--dev` only). */
export const DEV_ACCESS_KEY_ID = 'test';
const DEV_SECRET = 'test';
/** In development mode, an access key id that is an account id names that account's root. */
const DEV_ACCOUNT_ACCESS_KEY_ID = /^\d{12}$/;

/**
 * True for the development-mode root credentials (`test`, or a 12-digit account id as access key id).
 * Only the resolver in development mode authenticates such ids: issued access key ids start with AKIA/ASIA.
 */
export function isDevelopmentCredential(caller: Caller): boolean {
  return caller.type === 'Root' && (caller.accessKeyId === DEV_ACCESS_KEY_ID || DEV_ACCOUNT_ACCESS_KEY_ID.test(caller.accessKeyId));
}

export interface CredentialResolverOptions {
  readonly identities: IdentityRepository;
  readonly rootKey: RootOfTrust;
  readonly now: () => number;
  /**
   * When set (development mode), `test`/`test` is the root of this account, and an access key id that is a
   * 12-digit account id, with the secret `test`, is the root of that account (as LocalStack does) — but never
   * of an account in the store: see `CredentialResolver.resolve`.
   */
  readonly devAccountId?: string;
  /**
   * Development mode's `--dev-any-credentials` (only with `devAccountId`): `resolveUnverified` accepts any access
   * key id that is not a stored one, without its signature, as LocalStack does.
   */
  readonly acceptAnyAccessKeyId?: boolean;
}

/** What the verifier needs about an access key, and who it authenticates. */
export interface ResolvedCredential {
  readonly secret: SecretBytes;
  readonly caller: Caller;
  readonly record?: AccessKey;
}

/**
 * Finds the secret and principal of an access key. Secrets are stored wrapped by the root key; unwrapped
 * secrets are cached per access key and re-checked against the stored wrapped form on every request, so a
 * deleted or replaced key stops working at once on every node.
 */
export class CredentialResolver {
  readonly #options: CredentialResolverOptions;
  readonly #unwrapped = new Map<string, { wrapped: Buffer; secret: SecretBytes }>();
  readonly #devCredential: ResolvedCredential | undefined;
  /** Accounts known to be in the store (accounts are never deleted, so a hit stays true). */
  readonly #storedAccounts = new Set<string>();

  constructor(options: CredentialResolverOptions) {
    this.#options = options;
    const devAccountId = options.devAccountId;
    this.#devCredential = devAccountId
      ? {
          secret: SecretBytes.copyOf(Buffer.from(DEV_SECRET)),
          caller: rootCaller(devAccountId, DEV_ACCESS_KEY_ID),
        }
      : undefined;
  }

  /**
   * In development mode, the well-known credentials reach only accounts that exist nowhere but in those
   * credentials. An account in the store — the administrator's (created at first start), or one made with
   * CreateAccount or `strongroom accounts create`, in whatever mode the server ran — has real root credentials,
   * and only they reach it: with `test` as its secret, anyone could otherwise act as its root (and, for the
   * administrator's account, call the admin API). Such a request is answered as for an unknown access key.
   */
  async resolve(accessKeyId: string): Promise<ResolvedCredential | undefined> {
    const dev = this.#devCredential;
    if (dev && (accessKeyId === DEV_ACCESS_KEY_ID || DEV_ACCOUNT_ACCESS_KEY_ID.test(accessKeyId))) {
      const accountId = accessKeyId === DEV_ACCESS_KEY_ID ? dev.caller.accountId : accessKeyId;
      if (await this.#isStoredAccount(accountId)) return undefined;
      return accessKeyId === DEV_ACCESS_KEY_ID ? dev : { secret: dev.secret, caller: rootCaller(accountId, accessKeyId) };
    }
    const record = await this.#options.identities.getAccessKey(accessKeyId);
    if (!record || record.status !== 'Active') return undefined;
    return { secret: this.#secretOf(record), caller: callerOf(record), record };
  }

  /** Whether `resolveUnverified` can accept anyone (`--dev-any-credentials`). */
  get acceptsAnyAccessKeyId(): boolean {
    return this.#devCredential !== undefined && this.#options.acceptAnyAccessKeyId === true;
  }

  /**
   * With `--dev-any-credentials`, the root an access key id stands for when its signature is not checked: a
   * 12-digit id is that account's root, any other id the development account's. Undefined — verify the signature
   * as usual — for an access key id in the store (it names a real principal, whose policies and session apply,
   * and access key ids are not secret: they are in audit records and logs) and for an id that would reach an
   * account in the store (as for `test`/`test`: only that account's real credentials reach it).
   */
  async resolveUnverified(accessKeyId: string): Promise<Caller | undefined> {
    const dev = this.#devCredential;
    if (dev === undefined || !this.acceptsAnyAccessKeyId) return undefined;
    if ((await this.#options.identities.getAccessKey(accessKeyId)) !== undefined) return undefined;
    const accountId = DEV_ACCOUNT_ACCESS_KEY_ID.test(accessKeyId) ? accessKeyId : dev.caller.accountId;
    if (await this.#isStoredAccount(accountId)) return undefined;
    return rootCaller(accountId, accessKeyId);
  }

  /**
   * Checks what only a verified signature may be checked against: the session token of temporary
   * credentials (constant-time, as a digest) and their expiry.
   */
  checkSession(credential: ResolvedCredential, sessionToken: string | undefined): void {
    const expected = credential.record?.sessionTokenHash;
    if (!expected) {
      if (sessionToken !== undefined) {
        throw new UnrecognizedClientException('The security token included in the request is invalid.');
      }
      return;
    }
    const presented = createHash('sha256').update(sessionToken ?? '').digest();
    if (sessionToken === undefined || !timingSafeEqual(presented, expected)) {
      throw new UnrecognizedClientException('The security token included in the request is invalid.');
    }
    const expiresAt = credential.record?.expiresAt;
    if (expiresAt !== undefined && expiresAt <= this.#options.now()) {
      throw new ExpiredTokenException('The security token included in the request is expired');
    }
  }

  async #isStoredAccount(accountId: string): Promise<boolean> {
    if (this.#storedAccounts.has(accountId)) return true;
    // Read every time until found: another process (the CLI, another node) may create the account meanwhile.
    const stored = (await this.#options.identities.getAccount(accountId)) !== undefined;
    if (stored) this.#storedAccounts.add(accountId);
    return stored;
  }

  #secretOf(record: AccessKey): SecretBytes {
    const cached = this.#unwrapped.get(record.accessKeyId);
    if (cached && cached.wrapped.equals(record.wrappedSecret)) return cached.secret;
    const secret = this.#options.rootKey.unwrap(record.wrappedSecret, accessKeyAad(record.accessKeyId));
    if (this.#unwrapped.size >= 10_000) this.#unwrapped.clear();
    this.#unwrapped.set(record.accessKeyId, { wrapped: record.wrappedSecret, secret });
    return secret;
  }
}

/** The AAD binding a wrapped secret access key to its access key id. */
export function accessKeyAad(accessKeyId: string): Buffer {
  return Buffer.from(`strongroom:access-key:${accessKeyId}`, 'utf8');
}

export function rootCaller(accountId: string, accessKeyId: string): Caller {
  return { accountId, arn: `arn:aws:iam::${accountId}:root`, principalId: accountId, type: 'Root', accessKeyId };
}

function callerOf(record: AccessKey): Caller {
  return {
    accountId: record.accountId,
    arn: record.principalArn,
    principalId: record.principalId,
    type: record.principalType,
    accessKeyId: record.accessKeyId,
    ...(record.userName !== undefined ? { userName: record.userName } : {}),
  };
}
