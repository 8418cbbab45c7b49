import { signRequest } from '../../src/auth/sigv4/index.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import type { Credentials } from '../support/cluster.js';

/** A KMS answer exactly as it came: status, the body's text and, when it is JSON, its parsed form. */
export interface RawKmsAnswer {
  readonly status: number;
  readonly text: string;
  readonly json: Record<string, unknown> | undefined;
  readonly requestId: string;
}

/**
 * Sends one KMS operation as JSON 1.1, SigV4-signed, and returns the answer unparsed as well: the fault tests
 * look at every byte of an error body (no internals), which the SDK would turn into an exception first.
 * Aborts after `timeoutMs` (a request must never hang; the caller sees the abort as a failure).
 *
 * @example
 *   const answer = await rawKmsRequest(node.endpoint, credentials, 'Encrypt', { KeyId: keyId, Plaintext: 'aGk=' });
 */
export async function rawKmsRequest(
  endpoint: string,
  credentials: Credentials,
  operation: string,
  input: Record<string, unknown>,
  timeoutMs = 60_000,
): Promise<RawKmsAnswer> {
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
      region: 'us-east-1',
      service: 'kms',
      now: Date.now(),
    },
  );
  const response = await fetch(endpoint, {
    method: 'POST', headers: { ...headers, ...signed }, body, signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, requestId: response.headers.get('x-amzn-requestid') ?? '' };
}
