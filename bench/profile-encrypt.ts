/**
 * Where an Encrypt's CPU goes (issue #19): drives Strongroom (the CLI's `serve`, 2 workers, quotas off), the
 * trivial Node JSON server, and node:http answering the signed Encrypt request with an answer of Encrypt's shape
 * and size while computing nothing (baseline-server.ts `kms-shaped`: the floor under any server on node:http), with
 * wrk, Encrypt 1 KB at 64 connections, alternating the servers round by round, and prints for each run the
 * throughput and the CPU time per request of every process of the server (primary, workers, their threads: V8's,
 * libuv's, the audit indexing thread), of its workers' main threads alone, and of the whole machine (wrk and the
 * kernel included). CPU time is steadier than throughput on a shared machine.
 *
 * The audited server defers most indexing of its journal to idle time in a short run; the column "+ indexing" adds
 * the CPU that catching up after the run took (a LookupEvents call forces it), so that it counts what every request
 * eventually costs.
 *
 * Run: npm run build && node dist/bench/profile-encrypt.js
 * Environment: PROFILE_CLI (default dist/strongroom.js), PROFILE_SECONDS (5), PROFILE_ROUNDS (3), PROFILE_CONNECTIONS
 * (64), PROFILE_SERVE_ARGS (more `serve` arguments, e.g. `--no-audit`), PROFILE_KEYS (1: Encrypt under that many keys
 * drawn at random), PROFILE_NODE_ARGS (node options of both servers: with `--cpu-prof --cpu-prof-dir=<dir>` every server
 * process and thread writes a profile when it stops, which bench/cpu-profile-stages.ts reads), PROFILE_PERF (a file:
 * `perf record -g` samples the server's processes during each Strongroom run into it; with PROFILE_NODE_ARGS
 * `--perf-basic-prof`, JavaScript frames have names; PROFILE_PERF_EVERY_CPU=1 records every CPU instead, wrk and the
 * kernel's threads included).
 *
 * `--cpu-prof` cuts SQLite's busy waits short: its sampling signal ends each of SQLite's sleeps early, and SQLite
 * counts them as slept in full, so a busy timeout of 3 s runs out after about 40 ms (measured). When both processes
 * index at once, the catch-up's LookupEvents then fails (500, `SQLITE_BUSY` in the log). Profile the audited server
 * with perf (PROFILE_PERF), or give `--cpu-prof` one round, or `--no-audit`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKey, indexingCatchUp, readCredentials } from './bench-client.js';
import { generateLoad } from './generate-load.js';
import type { LoadResult, LoadSpec } from './load-generator.js';
import { cpuSince, machineBusyMicros, processTree, processTreeCpu, threadCpu, totalMicros, type CpuTime } from './process-cpu.js';
import { runProcess, startProcess, type RunningProcess } from './processes.js';
import { headerRow, resultRow } from './result-row.js';
import { kmsRequest } from './signed-request.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const CLI = process.env['PROFILE_CLI'] ?? join(here, '..', 'strongroom.js');
const SECONDS = Number(process.env['PROFILE_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['PROFILE_ROUNDS'] ?? 3);
const CONNECTIONS = Number(process.env['PROFILE_CONNECTIONS'] ?? 64);
const SERVE_ARGS = (process.env['PROFILE_SERVE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
const KEYS = Number(process.env['PROFILE_KEYS'] ?? 1);
const NODE_ARGS = (process.env['PROFILE_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
const PERF_OUTPUT = process.env['PROFILE_PERF'];
const WORKERS = 2;
const PLAINTEXT = Buffer.alloc(1024, 7).toString('base64');

/** What one run cost, per request answered. */
interface RunCost {
  readonly result: LoadResult;
  /** Every process of the server, all threads. */
  readonly serverMicros: number;
  readonly serverSystemMicros: number;
  /** The worker processes' main threads (event loops) only. */
  readonly mainThreadMicros: number;
  /** The whole machine: the server, wrk, the kernel's share, anyone else. */
  readonly machineMicros: number;
  /** The server's CPU while it caught up with indexing after the run (0 for a server without a trail). */
  readonly indexingMicros: number;
}

async function measure(server: RunningProcess, spec: LoadSpec, afterRun?: () => Promise<unknown>): Promise<RunCost> {
  const pid = server.child.pid!;
  const workers = processTree(pid).filter((id) => id !== pid);
  const mainBefore = workers.map((id) => threadCpu(id).get(id)!);
  const machineBefore = machineBusyMicros();
  const before = processTreeCpu(pid);
  const perf = PERF_OUTPUT !== undefined && afterRun !== undefined ? recordPerf(PERF_OUTPUT, processTree(pid), spec.durationSeconds) : undefined;
  const result = await generateLoad(spec);
  const after = processTreeCpu(pid);
  await perf;
  const machine = machineBusyMicros() - machineBefore;
  const mainAfter = workers.map((id) => threadCpu(id).get(id)!);
  await afterRun?.();
  const caughtUp = processTreeCpu(pid);
  const perRequest = (micros: number) => micros / Math.max(1, result.requests);
  const used = cpuSince(before, after);
  const mainUsed = mainAfter.reduce((sum, cpu, index) => sum + totalMicros(cpuSince(mainBefore[index] as CpuTime, cpu)), 0);
  return {
    result,
    serverMicros: perRequest(totalMicros(used)),
    serverSystemMicros: perRequest(used.systemMicros),
    mainThreadMicros: perRequest(mainUsed),
    machineMicros: perRequest(machine),
    indexingMicros: perRequest(totalMicros(cpuSince(after, caughtUp))),
  };
}

/**
 * `perf record` of the server's processes (every thread, kernel time in their context included; software clock, call
 * graphs) for most of a run: starts now, ends a second before it.
 */
async function recordPerf(output: string, pids: readonly number[], seconds: number): Promise<void> {
  const scope = process.env['PROFILE_PERF_EVERY_CPU'] === '1' ? ['-a'] : ['-p', pids.join(',')];
  const args = ['record', '-g', '-F', '999', '-o', output, ...scope, '--', 'sleep', String(Math.max(1, seconds - 1))];
  const perf = spawn('perf', args, { stdio: 'ignore' });
  await once(perf, 'exit');
}

function costRow(name: string, cost: RunCost): string {
  const us = (value: number) => value.toFixed(0).padStart(9);
  return `${resultRow(name, CONNECTIONS, cost.result)}${us(cost.serverMicros)}${us(cost.serverSystemMicros)}${us(cost.mainThreadMicros)}` +
    `${us(cost.indexingMicros)}${us(cost.machineMicros)}`;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-profile-'));
  const strongroom = await startProcess(CLI, ['serve', '--port', '0', '--data-dir', dataDir, '--workers', String(WORKERS), '--quotas', 'off', ...SERVE_ARGS], NODE_ARGS);
  const trivial = await startProcess(join(here, 'baseline-server.js'), [String(WORKERS)], NODE_ARGS);
  const floor = await startProcess(join(here, 'baseline-server.js'), [String(WORKERS), 'kms-shaped'], NODE_ARGS);
  try {
    const credentials = await readCredentials(join(dataDir, 'credentials'));
    const keyIds = [];
    for (let i = 0; i < KEYS; i++) keyIds.push(await createKey(strongroom.url, credentials));
    const requests = keyIds.map((KeyId) => kmsRequest(strongroom.url, credentials, 'Encrypt', { KeyId, Plaintext: PLAINTEXT }));
    const encrypt: LoadSpec = { url: strongroom.url, connections: CONNECTIONS, durationSeconds: SECONDS, ...requests[0]!, ...(KEYS > 1 ? { variants: requests } : {}) };
    const ceiling: LoadSpec = {
      url: trivial.url, connections: CONNECTIONS, durationSeconds: SECONDS,
      headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ KeyId: keyIds[0], Plaintext: PLAINTEXT }),
    };
    // The same signed request, answered by node:http with an answer of Encrypt's shape and size, computing nothing.
    const kmsShaped: LoadSpec = { ...encrypt, url: floor.url };
    const audited = !SERVE_ARGS.includes('--no-audit');
    const catchUp = audited ? () => indexingCatchUp(strongroom.url, credentials) : undefined;
    await generateLoad({ ...encrypt, durationSeconds: 2 });
    await generateLoad({ ...ceiling, durationSeconds: 2 });
    await generateLoad({ ...kmsShaped, durationSeconds: 2 });
    await catchUp?.();
    console.log(`Encrypt 1 KB, ${CONNECTIONS} connections, ${SECONDS} s runs, ${WORKERS} workers, keys ${KEYS}, serve ${SERVE_ARGS.join(' ') || '(defaults)'}; CLI ${CLI}`);
    console.log(headerRow('server') +
      `${'µs/req'.padStart(9)}${'of sys'.padStart(9)}${'loops'.padStart(9)}${'+index'.padStart(9)}${'machine'.padStart(9)}`);
    for (let round = 0; round < ROUNDS; round++) {
      console.log(costRow('trivial JSON server', await measure(trivial, ceiling)));
      console.log(costRow('node:http, KMS-shaped', await measure(floor, kmsShaped)));
      const cost = await measure(strongroom, encrypt, catchUp);
      console.log(costRow('Strongroom Encrypt', cost));
      // perf recorded from the start of the run for all but its last second: about that many requests.
      if (PERF_OUTPUT !== undefined) {
        const requests = Math.round(cost.result.requestsPerSecond * Math.max(1, SECONDS - 1));
        process.stdout.write(await runProcess(join(here, 'perf-stages.js'), PERF_OUTPUT, [String(requests)]));
      }
    }
  } finally {
    await strongroom.stop();
    await trivial.stop();
    await floor.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
