/**
 * The sustained target of issue 19 on its own: a server of 2 workers (audit on, quotas off) whose trail is first
 * grown by a run of Encrypt and indexed, then Encrypt at 64 connections for 5 s and for a long run, each begun with
 * the trail indexed. A long run indexes while it serves (a process defers indexing until 50,000 records wait), so
 * it shows what indexing takes from serving once the trail is large, as `npm run bench`'s 60-second row does after
 * half a million requests. The 5-second figure moves by ±20% run to run on this machine: compare the long runs of
 * two builds, alternating, more than one ratio. Each run also prints the server's CPU per request, split between
 * its event loops and its other threads (indexing, V8's collector, the journal writes): steadier than req/s, and
 * where the long run's extra cost shows.
 *
 * Run: npm run build && node dist/bench/sustained-encrypt.js [seconds of load that grow the trail, default 40]
 * [seconds of the long run, default 60]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKey, indexingCatchUp, readCredentials } from './bench-client.js';
import { processTree, threadCpu, totalMicros } from './process-cpu.js';
import { generateLoad, LOAD_GENERATOR } from './generate-load.js';
import { startProcess } from './processes.js';
import { kmsRequest } from './signed-request.js';

const GROW_SECONDS = Number(process.argv[2] ?? 40);
const LONG_SECONDS = Number(process.argv[3] ?? 60);
const CONNECTIONS = 64;
const CLI = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'strongroom.js');

const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-sustained-'));
const server = await startProcess(CLI, ['serve', '--port', '0', '--data-dir', dataDir, '--workers', '2', '--quotas', 'off']);
try {
  const credentials = await readCredentials(join(dataDir, 'credentials'));
  const keyId = await createKey(server.url, credentials);
  const encrypt = kmsRequest(server.url, credentials, 'Encrypt', { KeyId: keyId, Plaintext: Buffer.alloc(1024, 7).toString('base64') });
  const load = (seconds: number) => generateLoad({ url: server.url, connections: CONNECTIONS, durationSeconds: seconds, ...encrypt });
  const measured = async (seconds: number) => {
    const before = serverCpu(server.child.pid!);
    const result = await load(seconds);
    const after = serverCpu(server.child.pid!);
    const perRequest = (micros: number) => micros / Math.max(1, result.requests);
    return { ...result, loopsMicros: perRequest(after.loops - before.loops), othersMicros: perRequest(after.others - before.others) };
  };
  const cpu = (run: { loopsMicros: number; othersMicros: number }) =>
    `server CPU ${(run.loopsMicros + run.othersMicros).toFixed(0)} µs/request (event loops ${run.loopsMicros.toFixed(0)}, other threads ${run.othersMicros.toFixed(0)})`;
  const indexed = async () => Math.round(await indexingCatchUp(server.url, credentials));
  console.log(`Encrypt (1 KB), 2 server processes, ${CONNECTIONS} connections, load from ${LOAD_GENERATOR}`);
  const grown = await load(GROW_SECONDS);
  console.log(`trail grown by ${Math.round(grown.requestsPerSecond * GROW_SECONDS).toLocaleString('en-US')} records, ` +
    `indexed in ${(await indexed()).toLocaleString('en-US')} ms`);
  const short = await measured(5);
  const catchUp = await indexed();
  const long = await measured(LONG_SECONDS);
  console.log(`5 s: ${Math.round(short.requestsPerSecond).toLocaleString('en-US')} req/s (then indexing ${catchUp.toLocaleString('en-US')} ms); ` +
    `${LONG_SECONDS} s: ${Math.round(long.requestsPerSecond).toLocaleString('en-US')} req/s, p99 ${long.p99Ms.toFixed(1)} ms, max ${long.maxMs.toFixed(0)} ms: ` +
    `${((100 * long.requestsPerSecond) / short.requestsPerSecond).toFixed(0)}% of 5 s (target ≥ 90%)`);
  console.log(`  5 s: ${cpu(short)}; ${LONG_SECONDS} s: ${cpu(long)}`);
} finally {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}

/** CPU µs of a server's processes so far: their main threads (the event loops) and every other thread. */
function serverCpu(pid: number): { loops: number; others: number } {
  let loops = 0;
  let others = 0;
  for (const member of processTree(pid)) {
    for (const [tid, time] of threadCpu(member)) {
      if (tid === member) loops += totalMicros(time);
      else others += totalMicros(time);
    }
  }
  return { loops, others };
}
