import { SIGV4_ALGORITHM } from './canonical-request.js';
import { checkCredentialScope, isAwsRegionName, parseCredential } from './credential-scope.js';
import { unsupportedAlgorithm } from './failures.js';
import type { HttpRequestToVerify } from './http-request.js';
import { parseSignedHeaders, requireHostSigned } from './signed-headers.js';
import { readSignatureClaim } from './signature-claim.js';
import { readSigningTime } from './signing-time.js';

/** What a SigV4-shaped request claims, read without checking its signature. */
export interface UnverifiedCredential {
  readonly accessKeyId: string;
  /** The region of the credential scope: it selects the key space. */
  readonly region: string;
  readonly service: string;
}

/**
 * The credential scope of a request that is to be accepted without its signature being checked (development
 * mode's `--dev-any-credentials`). The request must still be shaped as SigV4 — an `Authorization: AWS4-HMAC-SHA256`
 * header or a presigned query, a readable signing time, `host` signed, a five-part credential whose scope names
 * a valid region, one of `services`, `aws4_request` and the signing day — and a request that is not fails with the
 * error `createSigV4Verifier` gives it, in the same order. Not checked: the access key, the signing time's distance
 * from the server's clock (a client under a frozen clock signs with a time long past), the payload hash, the
 * signature.
 *
 * @example
 *   const { accessKeyId, region } = readUnverifiedCredential(request, ['kms']);
 */
export function readUnverifiedCredential(
  request: HttpRequestToVerify,
  services: readonly string[],
  isValidRegion: (region: string) => boolean = isAwsRegionName,
): UnverifiedCredential {
  const claim = readSignatureClaim(request);
  const { amzDate } = readSigningTime(claim);
  requireHostSigned(parseSignedHeaders(claim.signedHeaders));
  if (claim.algorithm !== SIGV4_ALGORITHM) throw unsupportedAlgorithm(claim.algorithm);
  const credential = parseCredential(claim.credential);
  checkCredentialScope(credential, { services, isValidRegion, amzDate });
  return { accessKeyId: credential.accessKeyId, region: credential.region, service: credential.service };
}
