import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { BUNDLED_CLI } from './server-process.js';

/**
 * A start of the real `node dist/strongroom.js serve ...` with any root-of-trust flags and environment (a
 * SoftHSM2 token's `SOFTHSM2_CONF`), which either serves or exits: tests of what a start accepts and refuses.
 * The process runs in a group of its own, so that a stop reaches its workers and a test that dies leaves none.
 */
export interface ServeAttempt {
  /** The ready line's URL; empty when the process exited before it was ready. */
  readonly endpoint: string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM (a clean stop) when it still runs; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Longest a start may take before the attempt is ended and the test fails instead of hanging. */
const START_TIMEOUT_MS = 60_000;

/** Process groups started here, killed if the test process exits without stopping them. */
const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) killGroup(pid);
});

/**
 * The child's environment: the test's, without any `STRONGROOM_*` setting (which would name another store or root
 * of trust) or SoftHSM2 configuration, plus `env`.
 */
export function strongroomEnvironment(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('STRONGROOM_') && name !== 'SOFTHSM2_CONF');
  return { ...Object.fromEntries(inherited), ...env };
}

/**
 * Runs `strongroom serve ...args` (add `--port 0`), resolving once it prints its ready line or exits.
 *
 * @example
 *   const attempt = await attemptServe(['--data-dir', dir, '--port', '0', '--root-of-trust', 'passphrase', ...]);
 *   assert.equal(attempt.endpoint, '');
 *   assert.notEqual(await attempt.stop(), 0);
 */
export async function attemptServe(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ServeAttempt> {
  if (!existsSync(BUNDLED_CLI)) throw new Error(`${BUNDLED_CLI} is missing: build first (npm run build)`);
  const child = spawn(process.execPath, [BUNDLED_CLI, 'serve', ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: strongroomEnvironment(env),
  });
  const pid = child.pid!;
  running.add(pid);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  void exited.then(() => running.delete(pid));
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  let timer: NodeJS.Timeout | undefined;
  const endpoint = await new Promise<string>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening on (https?:\/\/[^\s]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => resolve(''));
    timer = setTimeout(() => {
      err += `\n(not ready within ${START_TIMEOUT_MS} ms: killed)`;
      killGroup(pid);
    }, START_TIMEOUT_MS);
  }).finally(() => clearTimeout(timer));
  return {
    endpoint,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      // A clean stop leaves no worker behind; a failed one might.
      killGroup(pid);
      return code;
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
