import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretBytes } from '../../crypto/secret-bytes.js';
import { buildCanonicalRequest, buildStringToSign, credentialScope, sha256Hex, SIGV4_ALGORITHM } from './canonical-request.js';
import { checkCredentialScope, isAwsRegionName, parseCredential } from './credential-scope.js';
import { signatureMismatch, unrecognizedClient, unsupportedAlgorithm } from './failures.js';
import { headerText, type HttpRequestToVerify } from './http-request.js';
import { parseSignedHeaders, requireHostSigned, requireSignedHeadersPresent } from './signed-headers.js';
import { readSignatureClaim } from './signature-claim.js';
import { SigningKeyCache } from './signing-key.js';
import type { CacheCounter } from '../../observability/cache-counter.js';
import { checkFreshness, readSigningTime } from './signing-time.js';

/** The secret of an access key, or undefined when the key is unknown. May be async (a store lookup). */
export type SigningSecretLookup = (accessKeyId: string) => Promise<SecretBytes | undefined> | SecretBytes | undefined;

/** Who signed a request that verified, and for what. */
export interface VerifiedSignature {
  readonly accessKeyId: string;
  /** The region of the credential scope: it selects the key space. */
  readonly region: string;
  readonly service: string;
  /** Epoch milliseconds of the request's signing time. */
  readonly signedAt: number;
  /** X-Amz-Security-Token as sent (header, or query of a presigned URL): the caller verifies it. */
  readonly sessionToken?: string;
}

export interface SigV4VerifierOptions {
  /** The service name(s) the credential scope may carry (`kms`; `['sts', 'iam']`). Messages name the first. */
  readonly service: string | readonly string[];
  readonly now?: () => number;
  /** How far the signing time may be from the server's clock, either way. Default: 5 minutes, as AWS. */
  readonly maxSkewMs?: number;
  /** Signing keys kept (one per access key, day, region and service). Default 1024. */
  readonly cacheSize?: number;
  /** Where the signing-key cache counts its hits and misses (for `/metrics`); default: a counter of its own. */
  readonly cacheCounts?: CacheCounter;
  /** Which credential-scope regions to accept. Default: any AWS-shaped region name. */
  readonly isValidRegion?: (region: string) => boolean;
}

export interface SigV4Verifier {
  /**
   * Resolves with who signed `request`, or rejects with the AWS exception a client would get:
   * MissingAuthenticationToken, IncompleteSignature, InvalidSignature (mismatch, expired, bad scope)
   * or UnrecognizedClient. Nothing secret, no signature and no canonical request is in any message.
   */
  verify(request: HttpRequestToVerify, lookup: SigningSecretLookup): Promise<VerifiedSignature>;
}

/** Constant-time equality of the hex signature we computed and the one presented. */
function signaturesEqual(expectedHex: string, presented: string): boolean {
  const expected = Buffer.from(expectedHex, 'latin1');
  const given = Buffer.from(presented, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Verifies AWS Signature Version 4 (Authorization header or presigned query string) for one service, as
 * AWS services other than S3 do, with AWS's checks in AWS's order: parameters, date format, clock skew or
 * expiry, `host` signed, algorithm, credential scope, access key, payload hash, signature.
 *
 * The payload hash is always that of the body received (an `x-amz-content-sha256` header must equal it).
 * Signing keys are cached per access key, day, region and service, and only for the same secret.
 *
 * @example
 *   const verifier = createSigV4Verifier({ service: 'kms' });
 *   const { accessKeyId, region } = await verifier.verify(request, (id) => secrets.get(id));
 */
export function createSigV4Verifier(options: SigV4VerifierOptions): SigV4Verifier {
  const services: readonly string[] = typeof options.service === 'string' ? [options.service] : [...options.service];
  if (services.length === 0) throw new RangeError('createSigV4Verifier needs at least one service');
  const now = options.now ?? Date.now;
  const maxSkewMs = options.maxSkewMs ?? 5 * 60_000;
  const isValidRegion = options.isValidRegion ?? isAwsRegionName;
  const signingKeys = new SigningKeyCache(options.cacheSize, options.cacheCounts);

  async function verify(request: HttpRequestToVerify, lookup: SigningSecretLookup): Promise<VerifiedSignature> {
    const claim = readSignatureClaim(request);
    const { amzDate, signedAt } = readSigningTime(claim);
    checkFreshness(signedAt, { now: now(), maxSkewMs, expiresSeconds: claim.expiresSeconds });
    const signedHeaders = parseSignedHeaders(claim.signedHeaders);
    requireHostSigned(signedHeaders);
    if (claim.algorithm !== SIGV4_ALGORITHM) throw unsupportedAlgorithm(claim.algorithm);
    const credential = parseCredential(claim.credential);
    checkCredentialScope(credential, { services, isValidRegion, amzDate });
    requireSignedHeadersPresent(signedHeaders, request.headers);

    const secret = await lookup(credential.accessKeyId);
    if (secret === undefined) throw unrecognizedClient();

    const payloadHash = sha256Hex(request.body);
    const declaredHash = headerText(request.headers, 'x-amz-content-sha256');
    if (declaredHash !== undefined && declaredHash !== payloadHash) throw signatureMismatch();

    const canonicalRequest = buildCanonicalRequest({
      method: request.method,
      path: request.path,
      query: request.query,
      headers: request.headers,
      signedHeaders,
      payloadHash,
      omitQueryParameter: claim.presigned ? 'X-Amz-Signature' : undefined,
    });
    const { accessKeyId, date, region, service } = credential;
    const scope = credentialScope(date, region, service);
    const key = signingKeys.get(`${accessKeyId}/${scope}`, secret, date, region, service);
    const expected = createHmac('sha256', key.expose()).update(buildStringToSign(amzDate, scope, canonicalRequest)).digest('hex');
    if (!signaturesEqual(expected, claim.signature)) throw signatureMismatch();

    return {
      accessKeyId,
      region,
      service,
      signedAt,
      ...(claim.sessionToken !== undefined ? { sessionToken: claim.sessionToken } : {}),
    };
  }

  return { verify };
}
