import type { SignatureClaim } from './claimed-signature.js';
import {
  bothHeaderAndQueryAuthentication,
  duplicateParameter,
  incompleteAuthorizationHeader,
  missingAuthenticationToken,
  parameterWithoutEqualSign,
} from './failures.js';
import { headerText, type HttpRequestToVerify } from './http-request.js';
import { hasQueryParameter, readPresignedQuery } from './presigned-query.js';

const REQUIRED = ['Credential', 'Signature', 'SignedHeaders'] as const;
type RequiredParameter = (typeof REQUIRED)[number];

/**
 * Reads the signature claim, or throws what AWS answers: `MissingAuthenticationTokenException` when the
 * request is not SigV4-signed at all, `IncompleteSignatureException` when parameters are missing.
 */
export function readSignatureClaim(request: HttpRequestToVerify): SignatureClaim {
  const authorization = headerText(request.headers, 'authorization');
  const presigned = hasQueryParameter(request.query, 'X-Amz-Algorithm');
  if (authorization !== undefined && presigned) throw bothHeaderAndQueryAuthentication();
  if (presigned) return readPresignedQuery(request.query);
  // Like AWS, anything but an `AWS4-...` scheme (a bearer token, SigV2) counts as no authentication.
  if (authorization === undefined || !authorization.startsWith('AWS4-')) throw missingAuthenticationToken();
  return readAuthorizationHeader(authorization, request);
}

/** The non-empty tokens of `text` from `start` on, separated by commas and spaces. */
function parameterTokens(text: string, start: number): string[] {
  const tokens: string[] = [];
  let tokenStart = start;
  for (let i = start; i <= text.length; i++) {
    const code = i === text.length ? 44 : text.charCodeAt(i);
    if (code !== 44 /* , */ && code !== 32 /* space */) continue;
    if (i > tokenStart) tokens.push(text.slice(tokenStart, i));
    tokenStart = i + 1;
  }
  return tokens;
}

/** `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` (commas and spaces separate). */
function readAuthorizationHeader(authorization: string, request: HttpRequestToVerify): SignatureClaim {
  const space = authorization.indexOf(' ');
  const algorithm = space === -1 ? authorization : authorization.slice(0, space);
  const found: Partial<Record<RequiredParameter, string>> = {};
  if (space !== -1) {
    for (const token of parameterTokens(authorization, space + 1)) {
      const equals = token.indexOf('=');
      if (equals === -1) throw parameterWithoutEqualSign();
      const name = token.slice(0, equals);
      if (name !== 'Credential' && name !== 'Signature' && name !== 'SignedHeaders') continue;
      if (found[name] !== undefined) throw duplicateParameter(name);
      found[name] = token.slice(equals + 1);
    }
  }
  const amzDate = headerText(request.headers, 'x-amz-date');
  const httpDate = amzDate === undefined ? headerText(request.headers, 'date') : undefined;
  // An empty SignedHeaders is "present"; it fails later, for not signing 'host'.
  const missing = REQUIRED.filter((name) => !found[name] && !(name === 'SignedHeaders' && found[name] === ''));
  if (missing.length > 0 || (amzDate === undefined && httpDate === undefined)) {
    throw incompleteAuthorizationHeader(missing, amzDate === undefined && httpDate === undefined);
  }
  const sessionToken = headerText(request.headers, 'x-amz-security-token');
  return {
    algorithm,
    credential: found.Credential!,
    signedHeaders: found.SignedHeaders!,
    signature: found.Signature!,
    date: amzDate !== undefined ? { text: amzDate, source: 'x-amz-date' } : { text: httpDate!, source: 'date' },
    presigned: false,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
  };
}
