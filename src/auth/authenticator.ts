import { UnrecognizedClientException } from '../errors.js';
import { CacheCounter, type CacheCounts } from '../observability/cache-counter.js';
import type { Caller } from './caller.js';
import type { CredentialResolver, ResolvedCredential } from './credential-resolver.js';
import { createSigV4Verifier, type HttpRequestToVerify } from './sigv4/index.js';
import { readUnverifiedCredential } from './sigv4/unverified-credential.js';

export interface Authenticated {
  readonly caller: Caller;
  /** The region of the credential scope: it selects the key space. */
  readonly region: string;
}

const SIGNED_SERVICES = ['strongroom', 'kms', 'sts', 'iam', 'cloudtrail'] as const;

/** The services whose requests this server verifies, each with its own signing-key cache (`strongroom`: the admin API). */
export type SignedService = (typeof SIGNED_SERVICES)[number];

/** What a request's credential scope must name: one service, or any one of them (development mode's reset). */
export type ExpectedService = SignedService | typeof ANY_SIGNED_SERVICE;

/** Accepts a credential scope naming any of the signed services. */
export const ANY_SIGNED_SERVICE = 'any-signed-service';

/**
 * Verifies a request's SigV4 signature for one service and returns who signed it.
 * Throws AWS's authentication exceptions (missing, incomplete, invalid or expired signature; unknown key).
 * With `--dev-any-credentials` (the resolver says so), a well-formed request whose access key id is not a stored
 * one is accepted without its signature (docs/development-mode.md).
 */
export class Authenticator {
  readonly #credentials: CredentialResolver;
  readonly #verifiers: Map<ExpectedService, { services: readonly string[]; verifier: ReturnType<typeof createSigV4Verifier> }>;
  readonly #signingKeyCounts = new CacheCounter();

  constructor(credentials: CredentialResolver, now: () => number) {
    this.#credentials = credentials;
    const scopes: Array<[ExpectedService, readonly string[]]> = [
      ...SIGNED_SERVICES.map((service): [ExpectedService, readonly string[]] => [service, [service]]),
      [ANY_SIGNED_SERVICE, SIGNED_SERVICES],
    ];
    const cacheCounts = this.#signingKeyCounts;
    this.#verifiers = new Map(scopes.map(([name, services]) => [name, { services, verifier: createSigV4Verifier({ service: services, now, cacheCounts }) }]));
  }

  /** Hits and misses of the signing-key caches of every service's verifier together, for `/metrics`. */
  get signingKeyCounts(): CacheCounts {
    return this.#signingKeyCounts;
  }

  async authenticate(request: HttpRequestToVerify, service: ExpectedService): Promise<Authenticated> {
    const expected = this.#verifiers.get(service);
    if (!expected) throw new Error(`no verifier for ${service}`);
    // --dev-any-credentials: a well-formed request's scope is read and its signature not checked (credential-resolver.ts).
    if (this.#credentials.acceptsAnyAccessKeyId) {
      const { accessKeyId, region } = readUnverifiedCredential(request, expected.services);
      const caller = await this.#credentials.resolveUnverified(accessKeyId);
      if (caller) return { caller, region };
    }
    const { verifier } = expected;
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
