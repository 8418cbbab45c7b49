import { Sha256Js } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Session } from './session';

/** An error the admin API answered with (`{"__type","message"}`), named as the SDK names AWS errors. */
export class AdminApiError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Calls the server's admin API (docs/admin-api.md): JSON 1.1, `X-Amz-Target: StrongroomAdmin.<Operation>`, SigV4
 * for the service `strongroom`, signed here like the SDK clients sign theirs.
 *
 * @example
 *   const { Accounts } = await callAdmin(session, 'ListAccounts', {});
 */
export async function callAdmin<T>(session: Session, operation: string, input: Record<string, unknown>): Promise<T> {
  const url = new URL(window.location.origin);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({
    service: 'strongroom',
    region: session.region,
    // Pure JavaScript: WebCrypto exists only in secure contexts, and a console on plain HTTP off localhost is not one.
    sha256: Sha256Js,
    credentials: {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      ...(session.sessionToken ? { sessionToken: session.sessionToken } : {}),
    },
  });
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `StrongroomAdmin.${operation}`,
    },
    body,
  });
  const signed = await signer.sign(request);
  // The browser sets Host itself (and refuses to be told).
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch('/', { method: 'POST', headers, body });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    const type = String(answer['__type'] ?? 'Error').split('#').pop() ?? 'Error';
    throw new AdminApiError(type, String(answer['message'] ?? answer['Message'] ?? response.statusText));
  }
  return answer as T;
}
