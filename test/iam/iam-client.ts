import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { KMSClient } from '@aws-sdk/client-kms';
import type { TestServer } from '../support/server.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** SDK clients for a test server signed with `credentials` (the administrator's by default); destroyed with `close`. */
export function clientsFor(server: TestServer, credentials: Credentials = server.credentials) {
  const options = { endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
  const iam = new IAMClient(options);
  const sts = new STSClient(options);
  const kms = new KMSClient(options);
  return {
    iam,
    sts,
    kms,
    close() {
      iam.destroy();
      sts.destroy();
      kms.destroy();
    },
  };
}

/** A policy document allowing `actions` on every resource. */
export function allowPolicy(...actions: string[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
}

/**
 * The error name an SDK call fails with (the SDK names modelled IAM errors `<Code>Exception`:
 * `NoSuchEntity` becomes `NoSuchEntityException`), its HTTP status and message.
 */
export async function failureOf(call: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await call;
  } catch (error) {
    const failure = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: failure.name, status: failure.$metadata?.httpStatusCode, message: failure.message };
  }
  throw new Error('the call was expected to fail');
}
