import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startProcess } from './processes.js';
import { kmsRequest } from './signed-request.js';

/**
 * Time from spawning `strongroom serve` to its first answered, signed request: once on an empty data
 * directory (root key, schema and administrator created) and once on the directory that start left behind.
 */
export async function measureColdStart(cli: string, dataDir: string, workers: number) {
  const once = async () => {
    const started = performance.now();
    const server = await startProcess(cli, ['serve', '--port', '0', '--data-dir', dataDir, '--workers', String(workers)]);
    const text = await readFile(join(dataDir, 'credentials'), 'utf8');
    const value = (name: string) => new RegExp(`${name}\\s*=\\s*(\\S+)`).exec(text)?.[1] ?? '';
    const credentials = { accessKeyId: value('aws_access_key_id'), secretAccessKey: value('aws_secret_access_key'), region: 'us-east-1' };
    const request = kmsRequest(server.url, credentials, 'ListKeys', {});
    const response = await fetch(server.url, { method: 'POST', headers: request.headers, body: request.body });
    const elapsed = performance.now() - started;
    await server.stop();
    if (!response.ok) throw new Error(`cold start request failed: ${response.status}`);
    return elapsed;
  };
  return { firstMs: await once(), restartMs: await once() };
}
