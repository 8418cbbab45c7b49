/**
 * Where a server's CPU went, from `perf record -g` of its processes (bench/profile-encrypt.ts with PROFILE_PERF, node
 * run with `--perf-basic-prof` so that JavaScript frames have names and source positions): by thread (the event
 * loops, V8's threads, the audit indexing thread, libuv's threads) and, on the event loops and the indexing thread, by
 * stage of a request (bench/request-stages.ts). A sample counts for the innermost frame of Strongroom's own code on
 * its stack (through the bundle's source maps), so node's internals, builtins and the kernel's work in a system call
 * count for the Strongroom code that called them; with none on the stack, for "HTTP and node internals". CPU time,
 * unlike `--cpu-prof`'s wall time, which charges a thread for the time it was preempted in a system call that woke
 * another (a socket write waking the load generator).
 *
 * Samples of commands other than `node` (a recording of every CPU, `perf record -a`: wrk, the kernel's threads) are
 * counted by command only; with `-a`, node processes other than the server's (the harness, whoever else runs node)
 * count as the server's.
 *
 * Run: node dist/bench/perf-stages.js <perf.data> [requests answered while it recorded]
 * With the request count it prints µs of CPU per request for each line.
 */
import { spawnSync } from 'node:child_process';
import { NODE_INTERNALS, SourceFiles, stageOfSource } from './request-stages.js';

/** What a thread is, from its stack's outermost frames. */
const THREADS: ReadonlyArray<readonly [RegExp, string]> = [
  [/PlatformWorkerThread/, "V8's threads (GC, compiler)"],
  [/node::worker::Worker/, 'worker thread (audit indexing)'],
];
const EVENT_LOOP = 'event loops (main threads)';
const OTHER_THREADS = "libuv's threads (journal writes) and others";

/** V8's garbage collector running on the thread it collects for (a scavenge, a mark-compact's pause). */
const GC_FRAME = /v8::internal::(Heap::|Scavenger|ScavengerCollector|MarkCompactCollector|MinorMarkCompactCollector|GCTracer|Sweeper|IncrementalMarking)/;
/** A JavaScript frame of `--perf-basic-prof`: `JS:*name file:///...js:line:column` (1-based). */
const JS_FRAME = /JS:\S*\s*(file:\/\/\S+):(\d+):(\d+)/;

interface Totals {
  /** By process command name (with `perf record -a`, everything else running besides the server). */
  readonly byCommand: Map<string, number>;
  readonly byThread: Map<string, number>;
  /** `${thread}\t${stage}` → CPU ns. */
  readonly byStage: Map<string, number>;
  /** The same, for samples whose innermost frame was the kernel's. */
  readonly kernelByStage: Map<string, number>;
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function readSamples(perfData: string): Totals {
  const script = spawnSync('perf', ['script', '-i', perfData, '-F', 'comm,pid,tid,period,ip,sym,dso'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  if (script.status !== 0) throw new Error(`perf script failed: ${script.stderr}`);
  const sources = new SourceFiles();
  const totals: Totals = { byCommand: new Map(), byThread: new Map(), byStage: new Map(), kernelByStage: new Map() };
  for (const block of script.stdout.split('\n\n')) {
    const [head, ...frames] = block.trim().split('\n').map((line) => line.trim());
    const match = /^(.*?)\s+(\d+)\/(\d+)\s+(\d+)\s*$/.exec(head ?? '');
    if (match === null) continue;
    const [, command, pid, tid, period] = match;
    const ns = Number(period);
    add(totals.byCommand, command!, ns);
    if (command !== 'node') continue; // recorded with -a: the machine's other work, by command only
    const stack = frames.join('\n');
    const thread = pid === tid ? EVENT_LOOP : THREADS.find(([pattern]) => pattern.test(stack))?.[1] ?? OTHER_THREADS;
    add(totals.byThread, thread, ns);
    if (thread !== EVENT_LOOP && !thread.startsWith('worker')) continue;
    const stage = stageOf(frames, sources);
    add(totals.byStage, `${thread}\t${stage}`, ns);
    if (frames[0]?.includes('[kernel')) add(totals.kernelByStage, `${thread}\t${stage}`, ns);
  }
  return totals;
}

/** The stage of the innermost Strongroom frame; GC when the collector runs below any JavaScript frame. */
function stageOf(frames: readonly string[], sources: SourceFiles): string {
  for (const frame of frames) {
    const js = JS_FRAME.exec(frame);
    if (js === null) {
      if (GC_FRAME.test(frame)) return 'GC on the thread';
      continue;
    }
    const source = sources.sourceOf(js[1]!, Number(js[2]) - 1, Number(js[3]) - 1);
    const stage = source === undefined ? undefined : stageOfSource(source);
    if (stage !== undefined) return stage;
  }
  return NODE_INTERNALS;
}

function main(): void {
  const perfData = process.argv[2];
  if (perfData === undefined) throw new Error('usage: perf-stages.js <perf.data> [requests]');
  const requests = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  const totals = readSamples(perfData);
  const all = [...totals.byCommand.values()].reduce((sum, ns) => sum + ns, 0);
  const cell = (ns: number) => (requests === undefined ? '' : `${(ns / 1000 / requests).toFixed(1).padStart(8)} µs/req`);
  const line = (name: string, ns: number, kernel?: number) => console.log(
    `${name.padEnd(48)}${(ns / 1e6).toFixed(0).padStart(8)} ms${((100 * ns) / all).toFixed(1).padStart(7)}%${cell(ns)}` +
      (kernel === undefined ? '' : `  (kernel ${((100 * kernel) / Math.max(1, ns)).toFixed(0)}%)`),
  );
  line('everything recorded', all);
  for (const [command, ns] of [...totals.byCommand].sort((a, b) => b[1] - a[1]).slice(0, 8)) line(`  command ${command}`, ns);
  for (const [thread, ns] of [...totals.byThread].sort((a, b) => b[1] - a[1])) {
    line(`  ${thread}`, ns);
    const stages = [...totals.byStage].filter(([key]) => key.startsWith(`${thread}\t`)).sort((a, b) => b[1] - a[1]);
    for (const [key, stageNs] of stages) line(`    ${key.split('\t')[1]}`, stageNs, totals.kernelByStage.get(key) ?? 0);
  }
}

main();
