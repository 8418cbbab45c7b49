import { signRequest } from '../src/auth/sigv4/index.js';
import { SecretBytes } from '../src/crypto/secret-bytes.js';

export interface KmsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

/**
 * A KMS request signed now. The load generator replays it unchanged, which SigV4 allows within the
 * 5-minute clock-skew window — every benchmark run is far shorter.
 */
export function kmsRequest(
  url: string,
  credentials: KmsCredentials,
  operation: string,
  body: Record<string, unknown>,
): { headers: Record<string, string>; body: string } {
  return signedJsonRequest(url, credentials, 'kms', `TrentService.${operation}`, body);
}

/** A JSON-protocol request to `service` (e.g. `cloudtrail`) with the given X-Amz-Target, signed now. */
export function signedJsonRequest(
  url: string,
  credentials: KmsCredentials,
  service: string,
  target: string,
  body: Record<string, unknown>,
): { headers: Record<string, string>; body: string } {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = {
    host: new URL(url).host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': target,
  };
  const signed = signRequest(
    { method: 'POST', path: '/', query: '', headers, body: Buffer.from(text) },
    {
      accessKeyId: credentials.accessKeyId,
      secret: SecretBytes.copyOf(Buffer.from(credentials.secretAccessKey)),
      region: credentials.region,
      service,
      now: Date.now(),
    },
  );
  return { headers: { ...headers, ...signed }, body: text };
}
