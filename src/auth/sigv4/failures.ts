import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
  type KmsError,
} from '../../errors.js';
import { formatAmzDate } from './amz-date.js';

/**
 * The answers AWS services give to bad signatures, in AWS's words (as the AWS "coral" front end of KMS,
 * DynamoDB and STS words them, observed by dynalite and scratchstack-aws-signature).
 *
 * Deliberate differences: AWS appends `Authorization=<the header>` to some messages and the canonical
 * request and string to sign to a signature mismatch; Strongroom never does, because they carry the
 * signature and can carry encryption context. Only the parts a client chose and that are not secret
 * (algorithm, credential, scope, dates) are echoed.
 */

export const MISSING_AUTHENTICATION_TOKEN_MESSAGE = 'Missing Authentication Token';

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export const UNRECOGNIZED_CLIENT_MESSAGE = 'The security token included in the request is invalid.';

export function missingAuthenticationToken(): KmsError {
  return new MissingAuthenticationTokenException(MISSING_AUTHENTICATION_TOKEN_MESSAGE);
}

export function signatureMismatch(): KmsError {
  return new InvalidSignatureException(SIGNATURE_MISMATCH_MESSAGE);
}

export function unrecognizedClient(): KmsError {
  return new UnrecognizedClientException(UNRECOGNIZED_CLIENT_MESSAGE);
}

export function bothHeaderAndQueryAuthentication(): KmsError {
  return new InvalidSignatureException(
    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
  );
}

/** A parameter of the Authorization header without '=' (AWS also quotes it; it may be a signature). */
export function parameterWithoutEqualSign(): KmsError {
  return new IncompleteSignatureException(
    'A parameter is not a valid key=value pair (missing equal-sign) in Authorization header.',
  );
}

export function duplicateParameter(name: string): KmsError {
  return new IncompleteSignatureException(`Authorization header has '${name}' more than once.`);
}

/** `missing`: of Credential, Signature, SignedHeaders; `dateMissing`: neither X-Amz-Date nor Date. */
export function incompleteAuthorizationHeader(missing: readonly string[], dateMissing: boolean): KmsError {
  const sentences = missing.map((name) => `Authorization header requires '${name}' parameter.`);
  if (dateMissing) sentences.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  return new IncompleteSignatureException(sentences.join(' '));
}

export function incompleteQueryParameters(missing: readonly string[]): KmsError {
  const sentences = missing.map((name) => `AWS query-string parameters must include '${name}'. `);
  return new IncompleteSignatureException(`${sentences.join('')}Re-examine the query-string parameters.`);
}

export function malformedDate(text: string): KmsError {
  return new IncompleteSignatureException(
    `Date must be in ISO-8601 'basic format'. Got '${text}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  );
}

export function malformedExpires(problem: 'not-a-number' | 'negative' | 'too-long'): KmsError {
  const messages = {
    'not-a-number': 'X-Amz-Expires should be a number',
    negative: 'X-Amz-Expires must be non-negative',
    'too-long': 'X-Amz-Expires must be less than a week (in seconds) that is 604800',
  } as const;
  return new IncompleteSignatureException(messages[problem]);
}

/** `window`: how the allowed distance reads in the message, e.g. `5 min.` or `900 sec.` */
export function signatureExpired(signedAt: number, now: number, windowMs: number, window: string): KmsError {
  return new InvalidSignatureException(
    `Signature expired: ${formatAmzDate(signedAt)} is now earlier than ${formatAmzDate(now - windowMs)} ` +
      `(${formatAmzDate(now)} - ${window})`,
  );
}

export function signatureNotYetCurrent(signedAt: number, now: number, windowMs: number, window: string): KmsError {
  return new InvalidSignatureException(
    `Signature not yet current: ${formatAmzDate(signedAt)} is still later than ${formatAmzDate(now + windowMs)} ` +
      `(${formatAmzDate(now)} + ${window})`,
  );
}

export function hostNotSigned(): KmsError {
  return new InvalidSignatureException("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
}

export function signedHeaderAbsent(name: string): KmsError {
  return new IncompleteSignatureException(`'${name}' is named as a SignedHeader, but it does not exist in the HTTP request.`);
}

export function unsupportedAlgorithm(algorithm: string): KmsError {
  return new IncompleteSignatureException(
    `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `,
  );
}

export function credentialNotFiveParts(credential: string): KmsError {
  return new IncompleteSignatureException(
    'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, ' +
      `got '${credential}'`,
  );
}

/** Every problem of the credential scope, in one message as AWS lists them. */
export function invalidCredentialScope(problems: readonly string[]): KmsError {
  return new InvalidSignatureException(problems.join(''));
}

export const scopeProblems = {
  region: (region: string) => `Credential should be scoped to a valid region, not '${region}'. `,
  service: (expected: string) => `Credential should be scoped to correct service: '${expected}'. `,
  terminator: (terminator: string) =>
    `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
  date: (scopeDate: string, amzDate: string) =>
    'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
    `'${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
} as const;
