import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { kmsRequest, signedJsonRequest, type KmsCredentials } from './signed-request.js';

/** The `[default]` access key of an AWS shared-credentials file (a data directory's, or `init --credentials-file`'s). */
export async function readCredentials(path: string): Promise<KmsCredentials> {
  const text = await readFile(path, 'utf8');
  const value = (name: string) => new RegExp(`${name}\\s*=\\s*(\\S+)`).exec(text)?.[1] ?? '';
  return { accessKeyId: value('aws_access_key_id'), secretAccessKey: value('aws_secret_access_key'), region: 'us-east-1' };
}

/** One signed KMS call whose answer the bench needs (set-up, not load); throws on an error answer. */
export async function call(url: string, credentials: KmsCredentials, operation: string, body: Record<string, unknown>) {
  const request = kmsRequest(url, credentials, operation, body);
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  if (!response.ok) throw new Error(`${operation} failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** A new symmetric key's id. */
export async function createKey(url: string, credentials: KmsCredentials): Promise<string> {
  const output = await call(url, credentials, 'CreateKey', { Description: 'benchmark' });
  return (output['KeyMetadata'] as { KeyId: string }).KeyId;
}

/**
 * A LookupEvents call, which first indexes every journaled record (the server otherwise does it when idle):
 * how long the indexing a run deferred takes (ms), and a clean start for the next run.
 */
export async function indexingCatchUp(url: string, credentials: KmsCredentials): Promise<number> {
  const started = performance.now();
  const request = signedJsonRequest(url, credentials, 'cloudtrail',
    'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents', { MaxResults: 1 });
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  if (!response.ok) throw new Error(`LookupEvents failed: ${response.status} ${await response.text()}`);
  return performance.now() - started;
}
