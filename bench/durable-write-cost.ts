/**
 * What one durable journal write costs the machine, including what the writing process never sees: the device's
 * interrupts and, on a VM, the hypervisor's emulation of the device, which run on the same cores as the server.
 *
 * Method: one CPU-bound loop per core counts its iterations, alone and then while the audit journal is appended
 * at a fixed rate (one write at a time, each the size of a batch of ~14 Encrypt records, as under load). The
 * iterations the loops lose, converted to core-seconds and divided by the writes done, are the CPU a write costs.
 * Phases alternate (alone, writing, alone, writing) so that drift in the machine's speed cancels out.
 *
 * Run: npm run build && node dist/bench/durable-write-cost.js   (printed by `npm run bench` too)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createJournalFile } from '../src/audit/journal.js';

const PHASE_SECONDS = Number(process.env['BENCH_WRITE_COST_SECONDS'] ?? 3);
const WRITES_PER_SECOND = 1000;
const BATCH_BYTES = 14 * 1024;
const LOOPS = availableParallelism();

/** A child process that spins for `seconds` and prints how many blocks of work it did. */
const SPIN = `(() => {
  const end = Date.now() + Number(process.argv[1]) * 1000; let blocks = 0, x = 0;
  while (Date.now() < end) { for (let i = 0; i < 10000; i++) x = (x * 31 + i) | 0; blocks++; }
  console.log(blocks + (x & 0));
})();`;

async function spin(seconds: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', SPIN, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await once(child, 'exit');
  return Number(output.trim());
}

/** Blocks of work per second of all loops together, while `during` runs (and the writes per second it did). */
async function loopsRate(during: (seconds: number) => Promise<number> = async () => 0) {
  const [blocks, writesPerSecond] = await Promise.all([
    Promise.all(Array.from({ length: LOOPS }, () => spin(PHASE_SECONDS))),
    during(PHASE_SECONDS),
  ]);
  return { perSecond: blocks.reduce((sum, n) => sum + n, 0) / PHASE_SECONDS, writesPerSecond };
}

const dir = mkdtempSync(join(tmpdir(), 'strongroom-write-cost-'));
try {
  const journal = createJournalFile(dir, 'bench', 0, 2 * PHASE_SECONDS * WRITES_PER_SECOND * BATCH_BYTES + 1024 * 1024);
  const batch = `${'x'.repeat(BATCH_BYTES - 1)}\n`;
  let writerCpuMicros = 0;
  const writeAtFixedRate = async (seconds: number): Promise<number> => {
    await sleep(100); // the loops are running
    const cpu = process.cpuUsage();
    const started = performance.now();
    let writes = 0;
    while (performance.now() - started < (seconds - 0.2) * 1000) {
      await journal.append(batch);
      writes += 1;
      const due = started + (writes * 1000) / WRITES_PER_SECOND;
      if (due > performance.now()) await sleep(due - performance.now());
    }
    const used = process.cpuUsage(cpu);
    writerCpuMicros += used.user + used.system;
    return writes / (seconds - 0.2);
  };
  const alone: number[] = [];
  const writing: { perSecond: number; writesPerSecond: number }[] = [];
  for (let round = 0; round < 2; round += 1) {
    alone.push((await loopsRate()).perSecond);
    writing.push(await loopsRate(writeAtFixedRate));
  }
  journal.close();
  const aloneRate = alone.reduce((a, b) => a + b) / alone.length;
  const writingRate = writing.reduce((a, b) => a + b.perSecond, 0) / writing.length;
  const writesPerSecond = writing.reduce((a, b) => a + b.writesPerSecond, 0) / writing.length;
  const lostCores = (LOOPS * (aloneRate - writingRate)) / aloneRate;
  const machineMicros = (lostCores * 1e6) / writesPerSecond;
  const writerMicros = writerCpuMicros / (writesPerSecond * writing.length * (PHASE_SECONDS - 0.2));
  const kb = (BATCH_BYTES / 1024).toFixed(0);
  console.log(`one durable journal write (${kb} KB, O_DSYNC), measured by ${LOOPS} CPU-bound loops:`);
  console.log(`  loops alone ${Math.round(aloneRate).toLocaleString('en-US')} blocks/s; beside ${Math.round(writesPerSecond)} writes/s ` +
    `${Math.round(writingRate).toLocaleString('en-US')} blocks/s (${(100 * (writingRate / aloneRate - 1)).toFixed(1)}%)`);
  console.log(`  one write costs the machine ${Math.round(machineMicros)} µs of CPU; the writing process sees ${Math.round(writerMicros)} µs of it`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
