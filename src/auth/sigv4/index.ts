/**
 * AWS Signature Version 4: server-side verification (`createSigV4Verifier`) and a signer for tests and
 * benchmarks (`signRequest`), over plain data — no HTTP here.
 */
export { formatAmzDate, parseAmzDate } from './amz-date.js';
export {
  buildCanonicalRequest,
  buildStringToSign,
  credentialScope,
  EMPTY_BODY_SHA256,
  sha256Hex,
  SIGV4_ALGORITHM,
  type CanonicalRequestInput,
} from './canonical-request.js';
export { canonicalHeaderValue, trimAndFold } from './canonical-headers.js';
export { canonicalQuery } from './canonical-query.js';
export { canonicalUri } from './canonical-uri.js';
export { isAwsRegionName } from './credential-scope.js';
export { MISSING_AUTHENTICATION_TOKEN_MESSAGE, SIGNATURE_MISMATCH_MESSAGE, UNRECOGNIZED_CLIENT_MESSAGE } from './failures.js';
export type { HeaderMap, HeaderValue, HttpRequestToVerify } from './http-request.js';
export { MAX_PRESIGNED_EXPIRES_SECONDS } from './presigned-query.js';
export { signRequest, type SigningOptions } from './signer.js';
export { deriveSigningKey, SigningKeyCache } from './signing-key.js';
export { uriEncode } from './uri-encoding.js';
export {
  createSigV4Verifier,
  type SigningSecretLookup,
  type SigV4Verifier,
  type SigV4VerifierOptions,
  type VerifiedSignature,
} from './verifier.js';
