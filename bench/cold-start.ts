import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCredentials } from './bench-client.js';
import { startCommand, startProcess, type RunningProcess } from './processes.js';
import { kmsRequest, type KmsCredentials } from './signed-request.js';

const DEVELOPMENT_CREDENTIALS: KmsCredentials = { accessKeyId: 'test', secretAccessKey: 'test', region: 'us-east-1' };

/**
 * Time from `npm start` (in `projectRoot`, built: it bundles nothing) to its first answered, signed request: once on
 * an empty data directory (root key, schema and administrator created), once on the directory that start left
 * behind, and once `--ephemeral` (in memory, one process); and the last also as `node <cli> serve --ephemeral`,
 * which is what a test suite spawning a server per file pays (npm itself costs a few hundred milliseconds).
 */
export async function measureColdStart(projectRoot: string, cli: string, dataDir: string, workers: number) {
  await fetch('data:,warm-up'); // the first fetch of a process loads its HTTP client: not part of any start
  const npmStart = (args: readonly string[]) => startCommand('npm', ['start', '--silent', '--', ...args], projectRoot);
  const withDataDir = () => npmStart(['--port', '0', '--data-dir', dataDir, '--workers', String(workers), '--quotas', 'off']);
  const once = async (start: () => Promise<RunningProcess>, credentialsOf: () => Promise<KmsCredentials>) => {
    const started = performance.now();
    const server = await start();
    const request = kmsRequest(server.url, await credentialsOf(), 'ListKeys', {});
    const response = await fetch(server.url, { method: 'POST', headers: request.headers, body: request.body });
    const elapsed = performance.now() - started;
    await server.stop();
    if (!response.ok) throw new Error(`cold start request failed: ${response.status}`);
    return elapsed;
  };
  const administrator = () => readCredentials(join(dataDir, 'credentials'));
  const development = async () => DEVELOPMENT_CREDENTIALS;
  return {
    firstMs: await once(withDataDir, administrator),
    restartMs: await once(withDataDir, administrator),
    ephemeralMs: await once(() => npmStart(['--ephemeral', '--port', '0']), development),
    ephemeralNodeMs: await once(() => startProcess(cli, ['serve', '--ephemeral', '--port', '0']), development),
  };
}
