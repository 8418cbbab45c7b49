import { UnrecognizedClientException } from '../errors.js';
import type { Caller } from './caller.js';
import type { CredentialResolver, ResolvedCredential } from './credential-resolver.js';
import { createSigV4Verifier, type HttpRequestToVerify } from './sigv4/index.js';

export interface Authenticated {
  readonly caller: Caller;
  /** The region of the credential scope: it selects the key space. */
  readonly region: string;
}

/** The services whose requests this server verifies, each with its own signing-key cache (`strongroom`: the admin API). */
export type SignedService = 'kms' | 'sts' | 'iam' | 'cloudtrail' | 'strongroom';

/**
 * Verifies a request's SigV4 signature for one service and returns who signed it.
 * Throws AWS's authentication exceptions (missing, incomplete, invalid or expired signature; unknown key).
 */
export class Authenticator {
  readonly #credentials: CredentialResolver;
  readonly #verifiers: Map<SignedService, ReturnType<typeof createSigV4Verifier>>;

  constructor(credentials: CredentialResolver, now: () => number) {
    this.#credentials = credentials;
    this.#verifiers = new Map(
      (['kms', 'sts', 'iam', 'cloudtrail', 'strongroom'] as const).map((service) => [service, createSigV4Verifier({ service, now })]),
    );
  }

  async authenticate(request: HttpRequestToVerify, service: SignedService): Promise<Authenticated> {
    const verifier = this.#verifiers.get(service);
    if (!verifier) throw new Error(`no verifier for ${service}`);
    let credential: ResolvedCredential | undefined;
    const verified = await verifier.verify(request, async (accessKeyId) => {
      credential = await this.#credentials.resolve(accessKeyId);
      return credential?.secret;
    });
    if (!credential) throw new UnrecognizedClientException('The security token included in the request is invalid.');
    this.#credentials.checkSession(credential, verified.sessionToken);
    return { caller: credential.caller, region: verified.region };
  }
}
