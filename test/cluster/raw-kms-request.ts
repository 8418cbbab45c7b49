import { signedKmsFetch } from '../support/signed-kms-fetch.js';
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
  const response = await signedKmsFetch(endpoint, credentials, operation, input, { timeoutMs });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, requestId: response.headers.get('x-amzn-requestid') ?? '' };
}
