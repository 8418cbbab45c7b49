import type { Caller } from '../../auth/caller.js';
import { createSigV4Verifier, type HttpRequestToVerify, type SigV4Verifier } from '../../auth/sigv4/index.js';
import type { RootOfTrust } from '../../crypto/root-of-trust.js';
import type { SecretBytes } from '../../crypto/secret-bytes.js';
import { KmsError } from '../../errors.js';
import type { IdentityRepository, XksCredential, XksCredentialRepository } from '../../store/store.js';
import { XKS_ACCESS_KEY_ID, xksCredentialAad } from './xks-credentials.js';
import { XksAuthenticationFailedException } from './xks-errors.js';
import { XKS_SIGNING_SERVICE } from '../xks-wire.js';

/** Who signed an XKS proxy request, as the rest of the proxy sees it. */
export interface XksAuthenticated {
  /** The IAM user the credential acts as, with the credential's access key id. */
  readonly caller: Caller;
  /** The region of the credential scope (the region KMS called from): it selects the key space. */
  readonly region: string;
  readonly credential: XksCredential;
}

export interface XksAuthenticatorOptions {
  readonly credentials: XksCredentialRepository;
  readonly identities: IdentityRepository;
  readonly rootKey: RootOfTrust;
  readonly now: () => number;
  /** Told when recording a credential's use failed (the request itself goes on). */
  readonly onRecordUseFailed?: (error: unknown) => void;
}

/** A credential's `lastUsedAt` is written at most this often: a write per request would cost a commit per request. */
const LAST_USED_RESOLUTION_MS = 60 * 60 * 1000;

/**
 * The proxy's own authenticator (ADR 0023, Decision 2): SigV4 with the service name `kms-xks-proxy` (Appendix A), the
 * project's verifier (`auth/sigv4/`: clock skew of 5 minutes either way, constant-time comparison, cached signing
 * keys), and XKS credentials only — an IAM access key signs nothing here, and an XKS credential signs nothing but
 * this. Every failure is the specification's `AuthenticationFailedException` (401), including a credential whose
 * IAM user no longer exists. Unwrapped secrets are cached per access key id and checked against the stored wrapped
 * form on every request, so a deleted or replaced credential stops working at once.
 *
 * @example
 *   const { caller, region } = await new XksAuthenticator({ credentials, identities, rootKey, now }).authenticate(request);
 */
export class XksAuthenticator {
  readonly #options: XksAuthenticatorOptions;
  readonly #verifier: SigV4Verifier;
  readonly #unwrapped = new Map<string, { readonly wrapped: Buffer; readonly secret: SecretBytes }>();

  constructor(options: XksAuthenticatorOptions) {
    this.#options = options;
    this.#verifier = createSigV4Verifier({ service: XKS_SIGNING_SERVICE, now: options.now });
  }

  async authenticate(request: HttpRequestToVerify): Promise<XksAuthenticated> {
    let credential: XksCredential | undefined;
    let region: string;
    try {
      ({ region } = await this.#verifier.verify(request, async (accessKeyId) => {
        // An id of another shape (an IAM access key's) is refused without a lookup.
        credential = XKS_ACCESS_KEY_ID.test(accessKeyId) ? await this.#options.credentials.get(accessKeyId) : undefined;
        return credential === undefined ? undefined : this.#secretOf(credential);
      }));
    } catch (error) {
      // The verifier's AWS exceptions (missing, malformed, expired or mismatched signature; unknown key) become the
      // specification's one answer, keeping their sentence for the operator reading the error.
      if (error instanceof KmsError) throw new XksAuthenticationFailedException(`${error.type}: ${error.message}`);
      throw error;
    }
    if (credential === undefined) throw new XksAuthenticationFailedException();
    const caller = await this.#callerOf(credential);
    await this.#recordUse(credential);
    return { caller, region, credential };
  }

  /** The IAM user the credential acts as, looked up on every request: a deleted user's credential authenticates no one. */
  async #callerOf(credential: XksCredential): Promise<Caller> {
    const user = await this.#options.identities.getUser(credential.accountId, credential.userName);
    if (user === undefined) {
      throw new XksAuthenticationFailedException(`The IAM user ${credential.userName} this XKS credential acts as no longer exists.`);
    }
    return {
      accountId: user.accountId,
      arn: user.arn,
      principalId: user.userId,
      type: 'IAMUser',
      accessKeyId: credential.accessKeyId,
      userName: user.userName,
    };
  }

  async #recordUse(credential: XksCredential): Promise<void> {
    const now = this.#options.now();
    if (credential.lastUsedAt !== undefined && now - credential.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
    try {
      await this.#options.credentials.recordUse(credential.accessKeyId, now);
    } catch (error) {
      this.#options.onRecordUseFailed?.(error);
    }
  }

  #secretOf(credential: XksCredential): SecretBytes {
    const cached = this.#unwrapped.get(credential.accessKeyId);
    if (cached && cached.wrapped.equals(credential.wrappedSecret)) return cached.secret;
    const secret = this.#options.rootKey.unwrap(credential.wrappedSecret, xksCredentialAad(credential.accessKeyId));
    // Not wiped when dropped: a request verifying concurrently may still hold it (the verifier copies what it keeps).
    if (this.#unwrapped.size >= 1000) this.#unwrapped.clear();
    this.#unwrapped.set(credential.accessKeyId, { wrapped: credential.wrappedSecret, secret });
    return secret;
  }
}
