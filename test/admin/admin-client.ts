import { signRequest } from '../../src/auth/sigv4/index.js';
import { SecretBytes } from '../../src/crypto/secret-bytes.js';
import type { OutcomeSink, RequestOutcome } from '../../src/api/outcome.js';
import type { TestServer } from '../support/server.js';

/** Credentials to sign an admin request with (a session token for role sessions). */
export interface AdminCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** An admin API answer: the HTTP status, the `__type` of an error, and the parsed JSON body. */
export interface AdminAnswer {
  readonly status: number;
  readonly errorType: string | undefined;
  readonly body: Record<string, unknown>;
}

export interface AdminCallOptions {
  readonly credentials?: AdminCredentials;
  /** The SigV4 service name signed (default `strongroom`). */
  readonly service?: string;
  /** Send the body as given instead of JSON-encoding it (malformed-input tests). */
  readonly rawBody?: string;
  /** Leave the request unsigned. */
  readonly unsigned?: boolean;
}

/**
 * One admin API call over real HTTP, signed with the project's SigV4 signer (the administrator's credentials
 * unless told otherwise), as a client of `StrongroomAdmin.<operation>` would send it.
 */
export async function callAdmin(server: TestServer, operation: string, input: unknown = {}, options: AdminCallOptions = {}): Promise<AdminAnswer> {
  const body = Buffer.from(options.rawBody ?? JSON.stringify(input), 'utf8');
  const headers: Record<string, string> = {
    host: new URL(server.endpoint).host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `StrongroomAdmin.${operation}`,
  };
  const credentials: AdminCredentials = options.credentials ?? server.credentials;
  const signed = options.unsigned === true ? {} : signRequest({ method: 'POST', path: '/', query: '', headers, body }, {
    accessKeyId: credentials.accessKeyId,
    secret: SecretBytes.adopt(Buffer.from(credentials.secretAccessKey, 'utf8')),
    region: 'us-east-1',
    service: options.service ?? 'strongroom',
    now: Date.now(),
    ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
  });
  const response = await fetch(`${server.endpoint}/`, { method: 'POST', headers: { ...headers, ...signed }, body });
  const parsed = (await response.json()) as Record<string, unknown>;
  const errorType = typeof parsed['__type'] === 'string' ? parsed['__type'] : undefined;
  return { status: response.status, errorType, body: parsed };
}

/** An outcome sink that keeps every outcome, for assertions on what a request recorded. */
export function collectingOutcomes(): OutcomeSink & { readonly recorded: RequestOutcome[] } {
  const recorded: RequestOutcome[] = [];
  return {
    recorded,
    record(outcome) {
      recorded.push(outcome);
      return Promise.resolve();
    },
  };
}
