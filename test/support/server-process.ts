import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';
import { PROJECT_ROOT } from './shared.js';

/**
 * A real `strongroom serve` process: from the TypeScript sources through tsx (no build needed), or from the
 * bundle users run (`dist/strongroom.js`, which `npm test` builds first).
 */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly dataDir: string;
  /** The ready line's URL; empty when the process exited before it was ready. */
  readonly endpoint: string;
  stdout(): string;
  stderr(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The administrator's access key, as the first start wrote it to `<dataDir>/credentials`. */
export function administratorCredentials(dataDir: string): { accessKeyId: string; secretAccessKey: string } {
  const text = readFileSync(dataDirectoryLayout(dataDir).credentials, 'utf8');
  const value = (name: string) => new RegExp(`${name}\\s*=\\s*(\\S+)`).exec(text)?.[1] ?? '';
  return { accessKeyId: value('aws_access_key_id'), secretAccessKey: value('aws_secret_access_key') };
}

export async function newDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'strongroom-process-'));
}

/** The built bundle; tests that run it fail, saying so, when it is missing. */
export const BUNDLED_CLI = join(PROJECT_ROOT, 'dist/strongroom.js');

/**
 * The endpoint of a spawned `strongroom serve` once it prints its ready line; rejects when it exits first
 * (`stderr()` then says why). Its stdout keeps being read (and collected in `output`, if given) afterwards.
 */
export function readyEndpoint(child: ChildProcess & { stdout: Readable }, stderr: () => string = () => '', output?: { text: string }): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (output) output.text = text;
      const match = /listening on (https?:\/\/[^\s]+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening\n${stderr()}`)));
  });
}

/** Starts `strongroom serve ...args`; resolves when it prints its ready line or exits. */
export async function startServerProcess(
  args: readonly string[],
  dataDir?: string,
  { bundled = false }: { bundled?: boolean } = {},
): Promise<ServerProcess> {
  const directory = dataDir ?? (await newDataDir());
  const entry = bundled ? [BUNDLED_CLI] : ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/main.ts')];
  const child = spawn(
    process.execPath,
    [...entry, 'serve', '--data-dir', directory, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STRONGROOM_PORT: '0' } },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const endpoint = await new Promise<string>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening on (https?:\/\/[^\s]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', () => resolve(''));
  });
  return {
    child,
    dataDir: directory,
    endpoint,
    stdout: () => out,
    stderr: () => err,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code, exitSignal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
      if (code === null) throw new Error(`strongroom serve died of ${exitSignal}; stderr:\n${err}`);
      return code;
    },
  };
}
