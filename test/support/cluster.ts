import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { KMSClient } from '@aws-sdk/client-kms';
import { BUNDLED_CLI, readyEndpoint } from './server-process.js';

/**
 * Several real Strongroom nodes (`node dist/strongroom.js serve --database-url ...`) on one PostgreSQL database,
 * as an operator runs them: `strongroom init` first, then each node with the shared root key file.
 */

/** An access key as `strongroom init` prints and writes it. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What a finished `strongroom ...` command left behind. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `strongroom serve` node. */
export interface ClusterNode {
  readonly name: string;
  readonly endpoint: string;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Whether the process (its primary) is still running. */
  running(): boolean;
  /** Sends `signal` (SIGTERM: a clean stop) and resolves with the exit code (null when a signal ended it). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL to the node's whole process group (primary and workers), as a machine that dies; resolves once gone. */
  kill(): Promise<void>;
}

/** Longest a command or a node's start may take before the test fails instead of hanging. */
const COMMAND_TIMEOUT_MS = 60_000;

/** Process groups started here, killed if the test process exits without stopping them. */
const runningGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of runningGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** The environment of a child: the test's, without settings that would point it elsewhere. */
function childEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ['STRONGROOM_DATABASE_URL', 'STRONGROOM_ROOT_KEY_FILE', 'STRONGROOM_DATA_DIR', 'STRONGROOM_PORT']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/**
 * A new temporary directory for a cluster's root key and credentials files.
 *
 * @example
 *   const rootKeyFile = join(await newClusterDir(), 'root.key');
 */
export async function newClusterDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'strongroom-cluster-'));
}

/**
 * Runs `node dist/strongroom.js ...args` to completion (failing after a minute rather than hanging).
 *
 * @example
 *   const result = await runStrongroom(['audit', 'verify', '--database-url', url, '--root-key-file', rootKeyFile]);
 *   assert.equal(result.status, 0, result.stderr);
 */
export async function runStrongroom(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  if (!existsSync(BUNDLED_CLI)) throw new Error(`${BUNDLED_CLI} is missing: build first (npm run build)`);
  const child = spawn(process.execPath, [BUNDLED_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnvironment(env) });
  return collect(child, `strongroom ${args[0] ?? ''}`);
}

/**
 * Runs any program to completion, collecting its output; rejects after a minute.
 *
 * @example
 *   const dump = await runProgram('/usr/lib/postgresql/16/bin/pg_dump', ['--dbname', databaseUrl]);
 */
export async function runProgram(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CommandResult> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
  return collect(child, command);
}

async function collect(child: ChildProcess & { stdout: Readable; stderr: Readable }, what: string): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
  try {
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    if (signal === 'SIGKILL') throw new Error(`${what} did not finish within ${COMMAND_TIMEOUT_MS} ms:\n${stdout}\n${stderr}`);
    return { status: code, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `strongroom init`: prepares the database, creates the root key file when absent and writes the administrator's
 * credentials to `credentialsFile`. Throws with its output when it fails.
 *
 * @example
 *   const { credentials } = await initDatabase(databaseUrl, join(dir, 'root.key'), join(dir, 'credentials'));
 */
export async function initDatabase(
  databaseUrl: string,
  rootKeyFile: string,
  credentialsFile: string,
): Promise<{ credentials: Credentials; result: CommandResult }> {
  const result = await runStrongroom([
    'init', '--database-url', databaseUrl, '--root-key-file', rootKeyFile, '--credentials-file', credentialsFile,
  ]);
  if (result.status !== 0) throw new Error(`strongroom init exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return { credentials: readCredentialsFile(credentialsFile), result };
}

/**
 * The `[default]` access key of an AWS shared-credentials file (or of the text `init` printed).
 *
 * @example
 *   const printed = credentialsIn(initResult.stdout);
 */
export function credentialsIn(text: string): Credentials {
  const value = (name: string) => new RegExp(`${name}\\s*=\\s*(\\S+)`).exec(text)?.[1] ?? '';
  return { accessKeyId: value('aws_access_key_id'), secretAccessKey: value('aws_secret_access_key') };
}

/**
 * The access key of the shared-credentials file `init --credentials-file` wrote.
 *
 * @example
 *   const admin = readCredentialsFile(join(dir, 'credentials'));
 */
export function readCredentialsFile(path: string): Credentials {
  return credentialsIn(readFileSync(path, 'utf8'));
}

/**
 * Starts `strongroom serve --database-url ... --root-key-file ... --port 0` in a process group of its own (so
 * `kill()` reaches every worker) and resolves once it prints its ready line; rejects with its output when it
 * exits first or is not ready within a minute.
 *
 * @example
 *   const node = await startNode('A', { databaseUrl, rootKeyFile, workers: 2 });
 *   ... node.endpoint ...
 *   await node.stop();
 */
export async function startNode(
  name: string,
  options: { databaseUrl: string; rootKeyFile: string; workers?: number; args?: readonly string[] },
): Promise<ClusterNode> {
  if (!existsSync(BUNDLED_CLI)) throw new Error(`${BUNDLED_CLI} is missing: build first (npm run build)`);
  const args = [
    BUNDLED_CLI, 'serve', '--database-url', options.databaseUrl, '--root-key-file', options.rootKeyFile,
    '--port', '0', '--workers', String(options.workers ?? 1), ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: childEnvironment() });
  const pid = child.pid!;
  runningGroups.add(pid);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  void exited.then(() => runningGroups.delete(pid));
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const output = { text: '' };
  let timer: NodeJS.Timeout | undefined;
  const endpoint = await Promise.race([
    readyEndpoint(child, () => `${output.text}\n${err}`, output),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`node ${name} was not ready within ${COMMAND_TIMEOUT_MS} ms:\n${output.text}\n${err}`)), COMMAND_TIMEOUT_MS);
    }),
  ]).catch(async (error: unknown) => {
    killGroup(pid);
    throw error;
  }).finally(() => clearTimeout(timer));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    endpoint,
    child,
    stdout: () => output.text,
    stderr: () => err,
    running,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!running()) return child.exitCode;
      child.kill(signal);
      const [code] = await exited;
      return code;
    },
    async kill() {
      killGroup(pid);
      await exited;
    },
  };
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * A KMS client of the SDK for one node, with no retries (a test sees every failure as it was answered).
 *
 * @example
 *   const kms = kmsClientOf(node, credentials);
 *   await kms.send(new CreateKeyCommand({}));
 *   kms.destroy();
 */
export function kmsClientOf(node: { endpoint: string }, credentials: Credentials, region = 'us-east-1'): KMSClient {
  return new KMSClient({ endpoint: node.endpoint, region, credentials, maxAttempts: 1 });
}

/**
 * The records `strongroom audit export --database-url` prints: every node's records, parsed.
 *
 * @example
 *   const ids = new Set((await auditRecords(databaseUrl, rootKeyFile)).map((event) => event['requestID']));
 */
export async function auditRecords(databaseUrl: string, rootKeyFile: string): Promise<Array<Record<string, unknown>>> {
  const result = await runStrongroom(['audit', 'export', '--database-url', databaseUrl], { STRONGROOM_ROOT_KEY_FILE: rootKeyFile });
  if (result.status !== 0) throw new Error(`strongroom audit export exited with ${result.status}:\n${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * `strongroom audit verify --database-url ... --root-key-file ...`: every node's chain and digests.
 *
 * @example
 *   const verify = await verifyAuditTrail(databaseUrl, rootKeyFile);
 *   assert.equal(verify.status, 0, verify.stdout);
 */
export async function verifyAuditTrail(databaseUrl: string, rootKeyFile: string): Promise<CommandResult> {
  return runStrongroom(['audit', 'verify', '--database-url', databaseUrl, '--root-key-file', rootKeyFile]);
}
