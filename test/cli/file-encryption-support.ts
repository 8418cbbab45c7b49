import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { buildClient, CommitmentPolicy, KmsKeyringNode, KMS, type KmsNodeClientSupplier } from '@aws-crypto/client-node';
import { BUNDLED_CLI } from '../support/server-process.js';
import type { TestServer } from '../support/server.js';

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface CliOptions {
  /** The child's whole environment (nothing is inherited, so a developer's AWS settings cannot leak in). */
  readonly env: Record<string, string>;
  /** Written to the child's standard input, which is otherwise empty. */
  readonly stdin?: Buffer | Readable;
  /** Arguments for node before the CLI (e.g. `--import` of a probe). */
  readonly nodeArgs?: readonly string[];
  /** Receives standard output as it comes, instead of collecting it (for outputs too large to hold). */
  readonly onStdout?: (chunk: Buffer) => void;
}

/** Runs the bundled CLI (what users run; `npm test` builds it first) with stdout and stderr as pipes. */
export async function runCli(args: readonly string[], { env, stdin, nodeArgs = [], onStdout }: CliOptions): Promise<CliRun> {
  assert.ok(existsSync(BUNDLED_CLI), `${BUNDLED_CLI} is missing: build first (npm run build)`);
  const child = spawn(process.execPath, [...nodeArgs, BUNDLED_CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (onStdout ? onStdout(chunk) : stdout.push(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.on('error', () => undefined); // a child that fails early stops reading; its exit code tells why
  if (stdin === undefined) child.stdin.end();
  else if (Buffer.isBuffer(stdin)) child.stdin.end(stdin);
  else stdin.pipe(child.stdin);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout: Buffer.concat(stdout), stderr };
}

/** The environment of a CLI run against `server`: its endpoint and the administrator's keys, as AWS variables. */
export function cliEnvironment(server: TestServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    // No shared config or credentials files but the ones a test names.
    AWS_CONFIG_FILE: '/nonexistent/strongroom-test-aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/strongroom-test-aws-credentials',
    ...extra,
  };
}

/** The AWS Encryption SDK for JavaScript itself, with a KMS keyring on the test server. */
export function encryptionSdkOn(server: TestServer): {
  encrypt(keyId: string, plaintext: Buffer, encryptionContext: Record<string, string>): Promise<Buffer>;
  decrypt(keyArn: string, message: Buffer): Promise<{ plaintext: Buffer; encryptionContext: Record<string, string> }>;
  close(): void;
} {
  // As the SDK's users configure it: the SDK's own KMS client (what its getKmsClient builds), told the endpoint.
  const clients: KMS[] = [];
  const clientProvider: KmsNodeClientSupplier = (region) => {
    const client = new KMS({ region: region || 'us-east-1', endpoint: server.endpoint, credentials: server.credentials, maxAttempts: 1 });
    clients.push(client);
    // The keyring's interface types predate exactOptionalPropertyTypes (`KeyId?: string` against the client's
    // `KeyId?: string | undefined`); at run time KMS is exactly what the keyring expects.
    return client as unknown as Exclude<ReturnType<KmsNodeClientSupplier>, false>;
  };
  const sdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  return {
    async encrypt(keyId, plaintext, encryptionContext) {
      const keyring = new KmsKeyringNode({ clientProvider, generatorKeyId: keyId });
      return (await sdk.encrypt(keyring, plaintext, { encryptionContext })).result;
    },
    async decrypt(keyArn, message) {
      const keyring = new KmsKeyringNode({ clientProvider, keyIds: [keyArn] });
      const { plaintext, messageHeader } = await sdk.decrypt(keyring, message);
      return { plaintext, encryptionContext: { ...messageHeader.encryptionContext } };
    },
    close: () => clients.forEach((client) => client.destroy()),
  };
}
