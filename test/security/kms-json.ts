import { signRequest } from '../../src/auth/sigv4/index.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
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
  const body = Buffer.from(JSON.stringify(input));
  const headers: Record<string, string> = {
    host: new URL(server.endpoint).host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `TrentService.${operation}`,
  };
  const signed = signRequest(
    { method: 'POST', path: '/', query: '', headers, body },
    {
      accessKeyId: credentials.accessKeyId,
      secret: SecretBytes.copyOf(Buffer.from(credentials.secretAccessKey)),
      region,
      service: 'kms',
      now: Date.now(),
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    },
  );
  const response = await fetch(server.endpoint, { method: 'POST', headers: { ...headers, ...signed }, body });
  const parsed = JSON.parse(await response.text()) as Record<string, unknown>;
  const type = typeof parsed['__type'] === 'string' ? parsed['__type'] : undefined;
  const message = typeof parsed['message'] === 'string' ? parsed['message'] : undefined;
  const requestId = response.headers.get('x-amzn-requestid') ?? '';
  return { status: response.status, body: parsed, error: type, message, requestId };
}
