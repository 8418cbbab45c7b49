import { IncompleteSignatureException, MissingAuthenticationTokenException } from '../../errors.js';

/** What a SigV4-signed request says about its signature, from the Authorization header or the query. */
export interface SignatureParameters {
  readonly accessKeyId: string;
  /** `YYYYMMDD` of the credential scope. */
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** The request time, `YYYYMMDDTHHMMSSZ`. */
  readonly amzDate: string;
  /** Presigned (query) requests only: how long the signature is valid, in seconds. */
  readonly expiresSeconds?: number;
  readonly presigned: boolean;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

function header(headers: Readonly<Record<string, string | readonly string[] | undefined>>, name: string) {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * Reads the signature parameters, or throws AWS's `MissingAuthenticationTokenException` (no signature at all)
 * or `IncompleteSignatureException` (a malformed one).
 */
export function readSignatureParameters(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  query: string,
): SignatureParameters {
  const authorization = header(headers, 'authorization')?.trim();
  if (authorization !== undefined) return fromAuthorizationHeader(authorization, headers);
  if (query.includes('X-Amz-Signature=')) return fromQuery(new URLSearchParams(query));
  throw new MissingAuthenticationTokenException('Missing Authentication Token');
}

function fromAuthorizationHeader(
  authorization: string,
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): SignatureParameters {
  const space = authorization.indexOf(' ');
  const algorithm = space === -1 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw new IncompleteSignatureException(`Unsupported AWS 'algorithm': '${algorithm}'`);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals !== -1) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !fields.get(name));
  const amzDate = header(headers, 'x-amz-date')?.trim() ?? '';
  if (missing.length > 0 || !amzDate) {
    const problems = missing.map((name) => `Authorization header requires '${name}' parameter.`);
    if (!amzDate) problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    throw new IncompleteSignatureException(`${problems.join(' ')} Authorization=${algorithm}`);
  }
  return complete(fields.get('Credential')!, fields.get('SignedHeaders')!, fields.get('Signature')!, amzDate, false);
}

function fromQuery(parameters: URLSearchParams): SignatureParameters {
  const get = (name: string) => parameters.get(name) ?? '';
  if (get('X-Amz-Algorithm') !== ALGORITHM) {
    throw new IncompleteSignatureException(`Unsupported AWS 'algorithm': '${get('X-Amz-Algorithm')}'`);
  }
  const expires = Number(get('X-Amz-Expires') || '0');
  if (!Number.isInteger(expires) || expires < 1 || expires > 604_800) {
    throw new IncompleteSignatureException('X-Amz-Expires must be between 1 and 604800 seconds.');
  }
  const parsed = complete(get('X-Amz-Credential'), get('X-Amz-SignedHeaders'), get('X-Amz-Signature'), get('X-Amz-Date'), true);
  return { ...parsed, expiresSeconds: expires };
}

function complete(
  credential: string,
  signedHeaderList: string,
  signature: string,
  amzDate: string,
  presigned: boolean,
): SignatureParameters {
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !/^\d{8}$/.test(scope[1] ?? '')) {
    throw new IncompleteSignatureException(
      `Credential should be scoped to a valid region, not '${scope[2] ?? ''}'. ` +
        "Credential should be scoped with a valid terminator: 'aws4_request', not " +
        `'${scope[4] ?? ''}'. Authorization=${ALGORITHM}`,
    );
  }
  const [accessKeyId, scopeDate, region, service] = scope as [string, string, string, string, string];
  if (!/^[a-z0-9-]+$/.test(region)) {
    throw new IncompleteSignatureException(`Credential should be scoped to a valid region, not '${region}'. `);
  }
  if (!/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw new IncompleteSignatureException(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  }
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host')) {
    throw new IncompleteSignatureException("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  return { accessKeyId, scopeDate, region, service, signedHeaders, signature, amzDate, presigned };
}
