import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { generateLoad, LOAD_GENERATOR } from './generate-load.js';
import type { LoadResult, LoadSpec } from './load-generator.js';
import { indexingCatchUp } from './bench-client.js';
import { cpuSince, processTree, processTreeCpu, totalMicros } from './process-cpu.js';
import { startProcess, type RunningProcess } from './processes.js';
import { headerRow, resultRow } from './result-row.js';
import { seedDocuments } from './seed-documents.js';
import { kmsRequest, type KmsCredentials } from './signed-request.js';

/**
 * Scale (issue 19): a store of many keys (default 100,000; BENCH_KEYS), made by seed files (docs/seeding.md): how long
 * seeding them takes, start to the first answer on that data directory, Encrypt on one key against Encrypt on keys
 * drawn at random from all of them (the same generator, wrk replaying one pre-signed request per key; two pairs,
 * alternating, each run begun with the trail indexed), and the resident memory of the server's processes after them.
 *
 * Run: npm run build && node dist/bench/many-keys.js (BENCH_KEYS, BENCH_SECONDS: default 100000, 10); `npm run bench` runs
 * it last (BENCH_KEYS=0 skips it there).
 */

const here = fileURLToPath(new URL('.', import.meta.url));
const CLI = join(here, '..', 'strongroom.js');
const KEYS = Number(process.env['BENCH_KEYS'] ?? 100_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = 64;
const WORKERS = 2;
const PLAINTEXT = Buffer.alloc(1024, 7).toString('base64');
/** The seed's account and its access key (public: this file is a benchmark's). */
const CREDENTIALS: KmsCredentials = { accessKeyId: 'AKIABENCHMARKMANYKEY', secretAccessKey: 'bench/many-keys/not+a+secret/00000000000', region: 'us-east-1' };
const ACCOUNT = '111122223333';

async function main(): Promise<void> {
  if (!LOAD_GENERATOR.startsWith('wrk')) {
    console.log('Scale with many keys: skipped, it needs wrk (apt-get install wrk): the Node generator cannot hold a request per key');
    return;
  }
  const directory = await mkdtemp(join(tmpdir(), 'strongroom-many-keys-'));
  const dataDir = join(directory, 'data');
  const keyIds = Array.from({ length: KEYS }, () => randomUUID());
  const serve = (extra: readonly string[]) =>
    startProcess(CLI, ['serve', '--port', '0', '--data-dir', dataDir, '--workers', String(WORKERS), '--quotas', 'off', ...extra]);
  try {
    console.log(`Strongroom with ${KEYS.toLocaleString('en')} keys: ${WORKERS} server processes, ${SECONDS} s runs, ${CONNECTIONS} connections, ` +
      `load from ${LOAD_GENERATOR}`);
    let started = performance.now();
    await (await serve([])).stop(); // the data directory, its root key and administrator
    // `strongroom seed` applies the files one after another.
    const documents = seedDocuments(ACCOUNT, keyIds, [{ accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.secretAccessKey }]);
    for (const [index, text] of documents.entries()) {
      const seedFile = join(directory, `seed-${index}.json`);
      await writeFile(seedFile, text);
      await runCli(['seed', seedFile, '--data-dir', dataDir]);
    }
    console.log(`seeding ${KEYS.toLocaleString('en')} keys (strongroom seed, ${documents.length} files): ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`);

    started = performance.now();
    const server = await serve([]);
    const describe = kmsRequest(server.url, CREDENTIALS, 'DescribeKey', { KeyId: keyIds[0] });
    const firstAnswer = (await fetch(server.url, { method: 'POST', headers: describe.headers, body: describe.body })).status;
    console.log(`restart to the first answered request with ${KEYS.toLocaleString('en')} keys: ${(performance.now() - started).toFixed(0)} ms (status ${firstAnswer})`);
    try {
      await measureLoad(server, keyIds);
    } finally {
      await server.stop();
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Runs the CLI to completion; throws with its output when it fails. */
async function runCli(args: readonly string[]): Promise<void> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`strongroom ${args.join(' ')} failed (${code}):\n${output}`);
}

async function measureLoad(server: RunningProcess, keyIds: readonly string[]): Promise<void> {
  const encryptUnder = (KeyId: string) => kmsRequest(server.url, CREDENTIALS, 'Encrypt', { KeyId, Plaintext: PLAINTEXT });
  const one = encryptUnder(keyIds[0]!);
  const single: LoadSpec = { url: server.url, connections: CONNECTIONS, durationSeconds: SECONDS, ...one, variants: [one] };
  // Signed now, replayed within SigV4's five-minute window.
  const every = keyIds.map(encryptUnder);
  const random: LoadSpec = { ...single, variants: every };
  await generateLoad({ ...single, durationSeconds: 2 }); // warm-up
  console.log(headerRow('run', 'vs one key'));
  // Two pairs, alternating, each run started with the trail indexed (the previous run's records would otherwise be
  // indexed during the next, charging one run for the other's records); the share is of the totals.
  const totals = { one: 0, random: 0, errors: 0, oneCpu: 0, randomCpu: 0 };
  for (let pair = 0; pair < 2; pair += 1) {
    await indexingCatchUp(server.url, CREDENTIALS);
    const oneKey = await withServerCpu(server, single);
    console.log(resultRow('Encrypt, one key', CONNECTIONS, oneKey, '100%'));
    await indexingCatchUp(server.url, CREDENTIALS);
    const randomKeys = await withServerCpu(server, random);
    console.log(resultRow(`Encrypt, ${keyIds.length.toLocaleString('en')} keys at random`, CONNECTIONS, randomKeys,
      `${((100 * randomKeys.requestsPerSecond) / oneKey.requestsPerSecond).toFixed(0)}%`));
    console.log(`  the server's CPU per request: one key ${oneKey.cpuMicros.toFixed(0)} µs, at random ${randomKeys.cpuMicros.toFixed(0)} µs`);
    totals.one += oneKey.requestsPerSecond;
    totals.random += randomKeys.requestsPerSecond;
    totals.oneCpu += oneKey.cpuMicros;
    totals.randomCpu += randomKeys.cpuMicros;
    totals.errors += oneKey.non2xx + randomKeys.non2xx + oneKey.errors + randomKeys.errors;
  }
  console.log(`keys at random against one key, both pairs: ${((100 * totals.random) / totals.one).toFixed(0)}% (target: at least 80%); ` +
    `${totals.errors} error answers or connection errors`);
  // Steadier than req/s on a shared machine: the server's CPU per request, one key against keys at random.
  console.log(`the server's CPU per request, one key against keys at random, both pairs: ${((100 * totals.oneCpu) / totals.randomCpu).toFixed(0)}%`);
  const memory = processTree(server.child.pid!).map((pid) => `${pid} ${residentMegabytes(pid)} MB`);
  console.log(`resident memory after the runs (primary, then workers): ${memory.join(', ')}`);
}

/** A run of load, with the CPU the server's processes (primary, workers, their threads) spent per request. */
async function withServerCpu(server: RunningProcess, spec: LoadSpec): Promise<LoadResult & { cpuMicros: number }> {
  const pid = server.child.pid!;
  const before = processTreeCpu(pid);
  const result = await generateLoad(spec);
  return { ...result, cpuMicros: totalMicros(cpuSince(before, processTreeCpu(pid))) / Math.max(1, result.requests) };
}

/** VmRSS of a process, in MB (Linux). */
function residentMegabytes(pid: number): string {
  const kilobytes = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kilobytes === undefined ? '?' : (Number(kilobytes) / 1024).toFixed(0);
}

await main();
