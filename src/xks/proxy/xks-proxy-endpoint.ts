import type { WireRequest, WireResponse } from '../../api/http/wire-request.js';
import { failingWith, RequestFailure, type Answer, type AuthenticatedFacts, type RequestFacts } from '../../api/request-facts.js';
import type { Authorizer } from '../../auth/authorization/authorizer.js';
import { AccessDeniedException, KeyUnavailableException, KmsError, NotFoundException } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import type { ServiceDependencies } from '../../service/services.js';
import { XksAuthenticator } from './xks-authenticator.js';
import type { XksCallContext } from './xks-call-context.js';
import { readDecryptInput, xksDecrypt } from './xks-decrypt.js';
import { readEncryptInput, xksEncrypt } from './xks-encrypt.js';
import {
  XksAccessDeniedException, XksAuthenticationFailedException, XksError, XksInternalException, XksInvalidStateException,
  XksKeyNotFoundException,
} from './xks-errors.js';
import { xksGetHealthStatus, type XksHealthSubject } from './xks-health.js';
import { isXksPath, UNKNOWN_XKS_CALL, XksMethodNotAllowed, xksJsonResponse, xksRouteOf, type XksCallName, type XksRoute } from './xks-http.js';
import { findXksKey } from './xks-key-lookup.js';
import { xksGetKeyMetadata } from './xks-metadata.js';
import { requestMetadataOf, xksRequestBody } from './xks-request-body.js';
import { XKS_SIGNING_SERVICE, type XksRequestMetadata } from '../xks-wire.js';

export interface XksProxyOptions {
  /** `''` or `/a/b`: calls are under `{uriPrefix}/kms/xks/v1`. */
  readonly uriPrefix: string;
  readonly deps: ServiceDependencies;
  /** The authorizer the KMS API enforces. */
  readonly authorizer: Authorizer;
  readonly health: XksHealthSubject;
  readonly log: Logger;
  /** Mutual TLS is configured (`--xks-client-ca`): a call over a connection without a verified client certificate is refused. */
  readonly requireClientCertificate?: boolean;
}

/** The `requestMetadata` fields each call requires (the specification's "This field is REQUIRED"). */
const REQUIRED_METADATA: Readonly<Record<XksCallName, ReadonlyArray<keyof XksRequestMetadata & string>>> = {
  XksGetHealthStatus: ['kmsOperation', 'kmsRequestId'],
  XksGetKeyMetadata: ['awsPrincipalArn', 'kmsOperation', 'kmsRequestId'],
  XksEncrypt: ['awsPrincipalArn', 'kmsKeyArn', 'kmsOperation', 'kmsRequestId'],
  XksDecrypt: ['awsPrincipalArn', 'kmsKeyArn', 'kmsOperation', 'kmsRequestId'],
};

/**
 * The XKS proxy API (`strongroom serve --xks-proxy`, ADR 0023): routes a request under its path to one of the four
 * calls, authenticates it (`XksAuthenticator`), reads its body, finds and authorizes the key, and answers in the
 * specification's JSON. The App records every request's outcome in the audit trail before answering, as it does for
 * the KMS API: the facts this endpoint hands it carry the call's event name (`XksEncrypt`, ...), the credential's
 * user as the caller, the key, and `requestMetadata` as the request's parameters — never plaintext, ciphertext or AAD.
 * Every failure leaves as an `XksError` (the App writes it with `xksErrorResponse`).
 *
 * @example
 *   const proxy = new XksProxy({ uriPrefix: '/xks', deps, authorizer, health, log });
 *   if (proxy.answers(request)) return proxy.handle(request, openingFacts(request, requestId, now()));
 */
export class XksProxy {
  readonly #options: XksProxyOptions;
  readonly #authenticator: XksAuthenticator;

  constructor(options: XksProxyOptions) {
    this.#options = options;
    const { deps, log } = options;
    this.#authenticator = new XksAuthenticator({
      credentials: deps.store.xksCredentials,
      identities: deps.store.identities,
      rootKey: deps.rootKey,
      now: deps.now,
      onRecordUseFailed: (error) => log.warn('xks-credential-use-not-recorded', { error: describe(error) }),
    });
  }

  /** Whether the request is the proxy's to answer (xks-http.ts `isXksPath`). */
  answers(request: WireRequest): boolean {
    return isXksPath(request.path, this.#options.uriPrefix);
  }

  async handle(request: WireRequest, opening: RequestFacts): Promise<Answer<WireResponse>> {
    const routed: RequestFacts = { ...opening, service: XKS_SIGNING_SERVICE, operation: UNKNOWN_XKS_CALL, readOnly: true };
    try {
      return await this.#answer(request, routed);
    } catch (error) {
      const failure = error instanceof RequestFailure ? error : new RequestFailure(error, routed);
      throw new RequestFailure(this.#asXksError(failure.cause, failure.facts), failure.facts);
    }
  }

  async #answer(request: WireRequest, routed: RequestFacts): Promise<Answer<WireResponse>> {
    const route = await failingWith(routed, () => xksRouteOf(request.path, this.#options.uriPrefix));
    const named: RequestFacts = { ...routed, operation: route.call };
    const { caller, region } = await failingWith(named, () => this.#authenticate(request));
    const authenticated: AuthenticatedFacts = { ...named, caller, region };
    const { body, metadata } = await failingWith(authenticated, () => {
      const parsed = xksRequestBody(request.body);
      return { body: parsed, metadata: requestMetadataOf(parsed, REQUIRED_METADATA[route.call]) };
    });
    const facts: AuthenticatedFacts = { ...authenticated, input: auditedInput(route, metadata) };
    const context: XksCallContext = {
      deps: this.#options.deps,
      authorizer: this.#options.authorizer,
      caller,
      scope: { accountId: caller.accountId, region },
      sourceIp: request.sourceIp,
      secureTransport: request.tls !== undefined,
    };
    const { output, answered } = await this.#call(route, body, context, facts);
    return { response: xksJsonResponse(facts.requestId, output), facts: answered, output: undefined };
  }

  #authenticate(request: WireRequest) {
    // The specification: a GET (or anything but POST) at one of the four URIs "MUST" be a 405.
    if (request.method !== 'POST') throw new XksMethodNotAllowed();
    if (this.#options.requireClientCertificate === true && request.tls?.clientCertificateVerified !== true) {
      throw new XksAuthenticationFailedException('XKS proxy calls need a TLS client certificate this server verifies.');
    }
    return this.#authenticator.authenticate(request);
  }

  /** Runs the call; its answer, and the facts to record (with the key, once found). */
  async #call(
    route: XksRoute,
    body: Record<string, unknown>,
    context: XksCallContext,
    facts: AuthenticatedFacts,
  ): Promise<{ output: object; answered: RequestFacts }> {
    if (route.call === 'XksGetHealthStatus') {
      return { output: await failingWith(facts, () => xksGetHealthStatus(this.#options.health)), answered: facts };
    }
    const { call } = route;
    const input = call === 'XksGetKeyMetadata' ? undefined : await failingWith(facts, () => readCallInput(call, body));
    const withAlgorithms: AuthenticatedFacts = input === undefined ? facts : { ...facts, input: { ...(facts.input as object), ...input.audited } };
    const key = await failingWith(withAlgorithms, () => findXksKey(context.deps, context.scope, route.externalKeyId));
    const answered: AuthenticatedFacts = { ...withAlgorithms, resources: [key.arn] };
    const output = await failingWith(answered, async () => {
      if (input === undefined) return xksGetKeyMetadata(context, key);
      if (input.kind === 'decrypt') return xksDecrypt(context, key, input.read);
      try {
        return await xksEncrypt(context, key, input.read);
      } finally {
        input.read.plaintext.fill(0);
      }
    });
    return { output, answered };
  }

  /** Any failure as the specification's error; what is not one of its own is logged here and answered InternalException. */
  #asXksError(error: unknown, facts: RequestFacts): KmsError {
    if (error instanceof XksError || error instanceof XksMethodNotAllowed) return error;
    if (error instanceof AccessDeniedException) return new XksAccessDeniedException(error.message);
    if (error instanceof NotFoundException) return new XksKeyNotFoundException();
    if (error instanceof KmsError && (error.type === 'KMSInvalidStateException' || error.type === 'DisabledException')) {
      return new XksInvalidStateException(error.message);
    }
    if (error instanceof KeyUnavailableException) {
      return new XksInternalException('The custom key store holding the key cannot be reached.');
    }
    this.#options.log.error('xks-request-failed', { requestId: facts.requestId, operation: facts.operation, error: describe(error) });
    return new XksInternalException();
  }
}

/** Encrypt's or Decrypt's members, read, with what of them the audit record names (the algorithms only). */
function readCallInput(call: 'XksEncrypt' | 'XksDecrypt', body: Record<string, unknown>) {
  if (call === 'XksDecrypt') {
    return { kind: 'decrypt' as const, read: readDecryptInput(body), audited: { encryptionAlgorithm: 'AES_GCM' } };
  }
  const read = readEncryptInput(body);
  return {
    kind: 'encrypt' as const,
    read,
    audited: {
      encryptionAlgorithm: 'AES_GCM',
      ...(read.cdivAlgorithm !== undefined ? { ciphertextDataIntegrityValueAlgorithm: read.cdivAlgorithm } : {}),
    },
  };
}

/**
 * What the audit record keeps of a request (src/audit/xks-redaction-rules.ts filters it once more): the key it names
 * and the `requestMetadata` fields the specification defines — the AWS principal, the KMS operation and request id
 * that correlate the record with AWS CloudTrail, the KMS key ARN, VPC and service.
 */
function auditedInput(route: XksRoute, metadata: XksRequestMetadata): Record<string, unknown> {
  return { ...('externalKeyId' in route ? { KeyId: route.externalKeyId } : {}), requestMetadata: { ...metadata } };
}

/** An error's name and stack for the log (errors here carry no request data). */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
