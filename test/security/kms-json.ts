import { signedKmsFetch } from '../support/signed-kms-fetch.js';
import type { TestServer } from '../support/server.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A KMS answer: the status and the JSON body (errors carry `__type` and `message`). */
export interface KmsAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** The exception name of an error answer, undefined for a 200. */
  readonly error: string | undefined;
  readonly message: string | undefined;
  readonly requestId: string;
}

/**
 * Sends one KMS operation as JSON 1.1, signed with SigV4 like any SDK would, so a test can send any member of
 * the model (the SDK's command classes would need one import per operation). Blobs are base64 strings.
 */
export async function callKms(
  server: TestServer,
  credentials: Credentials,
  operation: string,
  input: Record<string, unknown>,
  region = 'us-east-1',
): Promise<KmsAnswer> {
  const response = await signedKmsFetch(server.endpoint, credentials, operation, input, { region });
  const parsed = JSON.parse(await response.text()) as Record<string, unknown>;
  const type = typeof parsed['__type'] === 'string' ? parsed['__type'] : undefined;
  const message = typeof parsed['message'] === 'string' ? parsed['message'] : undefined;
  const requestId = response.headers.get('x-amzn-requestid') ?? '';
  return { status: response.status, body: parsed, error: type, message, requestId };
}
