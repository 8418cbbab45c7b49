import { signRequest } from '../../src/auth/sigv4/index.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * Sends one KMS operation as JSON 1.1 to `endpoint`, SigV4-signed as any SDK would sign it, and returns the raw
 * response: for tests that send any member of the model, or read an answer byte for byte.
 *
 * @example
 *   const response = await signedKmsFetch(endpoint, credentials, 'Encrypt', { KeyId: keyId, Plaintext: 'aGk=' });
 */
export function signedKmsFetch(
  endpoint: string,
  credentials: SigningCredentials,
  operation: string,
  input: Record<string, unknown>,
  options: { readonly region?: string; readonly timeoutMs?: number } = {},
): Promise<Response> {
  const body = Buffer.from(JSON.stringify(input));
  const headers: Record<string, string> = {
    host: new URL(endpoint).host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `TrentService.${operation}`,
  };
  const signed = signRequest(
    { method: 'POST', path: '/', query: '', headers, body },
    {
      accessKeyId: credentials.accessKeyId,
      secret: SecretBytes.copyOf(Buffer.from(credentials.secretAccessKey)),
      region: options.region ?? 'us-east-1',
      service: 'kms',
      now: Date.now(),
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    },
  );
  return fetch(endpoint, {
    method: 'POST',
    headers: { ...headers, ...signed },
    body,
    ...(options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) }),
  });
}
