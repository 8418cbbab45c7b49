import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A child process started by the benchmark, with the URL it printed once listening. */
export interface RunningProcess {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Spawns `node ...nodeArgs <script> ...args` and waits for the first `http://...` it prints. Node's own options (e.g.
 * `--cpu-prof`, which NODE_OPTIONS may not carry) are inherited by cluster workers and worker threads.
 */
export async function startProcess(script: string, args: readonly string[], nodeArgs: readonly string[] = []): Promise<RunningProcess> {
  return started(spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] }), script);
}

/**
 * Spawns `command ...args` in `cwd` (`npm start -- ...`) and waits for the first `http://...` it prints. It runs in a
 * process group of its own, which `stop()` signals: npm, the shell it runs and the server all get SIGTERM.
 */
export async function startCommand(command: string, args: readonly string[], cwd: string): Promise<RunningProcess> {
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const running = await started(child, command);
  return {
    ...running,
    async stop() {
      if (child.exitCode !== null) return;
      process.kill(-child.pid!, 'SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function started(child: ChildProcess, script: string): Promise<RunningProcess> {
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening:\n${output}`)));
  });
  return {
    child,
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Runs `node <script> <arg> ...more` to completion and returns what it printed on stdout. */
export async function runProcess(script: string, arg: string, more: readonly string[] = []): Promise<string> {
  const child = spawn(process.execPath, [script, arg, ...more], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return output;
}
