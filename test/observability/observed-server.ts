import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Agent } from 'node:http';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { administratorCredentials, BUNDLED_CLI, startServerProcess, type ServerProcess } from '../support/server-process.js';

/** A real `node dist/strongroom.js serve` with what the observability tests read of it. */
export interface ObservedServer {
  readonly process: ServerProcess;
  readonly endpoint: string;
  /** The printed `Metrics at <url>/metrics` URL. */
  readonly metricsUrl: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** A KMS client that opens a connection per request (with workers: requests go to the workers in turn). */
  kms(credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string }): KMSClient;
  /** A key of the administrator's. */
  createKey(): Promise<string>;
  /** Stops it (SIGTERM) and asserts a clean exit. */
  stop(): Promise<void>;
}

/** Starts the bundle with `args` (after `serve --data-dir <fresh>`; the API port is a free one). */
export async function startObservedServer(args: readonly string[]): Promise<ObservedServer> {
  assert.ok(existsSync(BUNDLED_CLI), `${BUNDLED_CLI} is missing: run npm run build`);
  const server = await startServerProcess(args, undefined, { bundled: true });
  assert.ok(server.endpoint, `the server did not start:\n${server.stderr()}`);
  // The metrics line follows the ready line: wait for it (the process exiting first fails the test).
  let match: RegExpExecArray | null;
  while ((match = /Metrics at (http:\/\/\S+\/metrics)/.exec(server.stdout())) === null) {
    assert.equal(server.child.exitCode, null, server.stderr());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const credentials = administratorCredentials(server.dataDir);
  const clients: KMSClient[] = [];
  const kms = (creds = credentials) => {
    const client = new KMSClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: creds,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: false }) }),
    });
    clients.push(client);
    return client;
  };
  return {
    process: server,
    endpoint: server.endpoint,
    metricsUrl: match[1]!,
    credentials,
    kms,
    createKey: async () => (await kms().send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!,
    async stop() {
      for (const client of clients) client.destroy();
      assert.equal(await server.stop(), 0, server.stderr());
    },
  };
}
