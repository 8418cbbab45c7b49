/**
 * Reads the `.cpuprofile` files that `node --cpu-prof` wrote for Strongroom's processes and threads
 * (bench/profile-encrypt.ts with PROFILE_NODE_ARGS) and prints where their CPU went, stage by stage of a request
 * (issue #19): each sample's time goes to the innermost frame of Strongroom's own source (found through the bundle's
 * source maps) on its stack, and that file's stage; node's internals, builtins (JSON, crypto) and dependencies count
 * for the Strongroom code that called them, or, with none on the stack, for "HTTP and node internals".
 *
 * Run: node dist/bench/cpu-profile-stages.js <profile dir> [--start-skip-ms 3000]
 * Each profile is reported alone and the serving threads together. `--start-skip-ms` ignores each profile's first
 * milliseconds (start-up, the set-up requests).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_INTERNALS, SourceFiles, stageOfSource } from './request-stages.js';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const SPECIAL: Readonly<Record<string, string>> = {
  '(garbage collector)': 'GC on the thread',
  '(idle)': 'idle',
  '(program)': 'native, outside JS ((program))',
  '(root)': 'native, outside JS ((program))',
};

const START_UP = 'start-up (module loading)';

/** Milliseconds of self time by stage. */
function stagesOf(profile: CpuProfile, sources: SourceFiles, skipMs: number): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const stageOf = new Map<number, string>();
  const visit = (node: ProfileNode, inherited: string) => {
    const frame = node.callFrame;
    let stage = inherited;
    if (frame.url.startsWith('node:internal/modules/')) stage = START_UP;
    else if (stage !== START_UP) {
      const source = sources.sourceOf(frame.url, frame.lineNumber, frame.columnNumber);
      stage = (source === undefined ? undefined : stageOfSource(source)) ?? stage;
    }
    // (root), (program), (idle), (garbage collector): their own time only; the root's children start afresh.
    const special = frame.url === '' ? SPECIAL[frame.functionName] : undefined;
    stageOf.set(node.id, special ?? stage);
    for (const child of node.children ?? []) visit(byId.get(child)!, stage);
  };
  visit(profile.nodes[0]!, NODE_INTERNALS);
  const totals = new Map<string, number>();
  let elapsed = 0;
  profile.samples.forEach((id, index) => {
    const delta = (profile.timeDeltas[index] ?? 0) / 1000;
    elapsed += delta;
    if (elapsed < skipMs) return;
    const stage = stageOf.get(id) ?? NODE_INTERNALS;
    totals.set(stage, (totals.get(stage) ?? 0) + delta);
  });
  return totals;
}

function print(name: string, totals: Map<string, number>): void {
  const busy = [...totals].filter(([stage]) => stage !== 'idle').reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`${name}: ${busy.toFixed(0)} ms busy, ${(totals.get('idle') ?? 0).toFixed(0)} ms idle`);
  for (const [stage, ms] of [...totals].filter(([stage]) => stage !== 'idle').sort((a, b) => b[1] - a[1])) {
    console.log(`  ${stage.padEnd(42)}${ms.toFixed(0).padStart(8)} ms${((100 * ms) / busy).toFixed(1).padStart(7)}%`);
  }
}

function main(): void {
  const directory = process.argv[2];
  if (directory === undefined) throw new Error('usage: cpu-profile-stages.js <profile dir> [--start-skip-ms N]');
  const skipAt = process.argv.indexOf('--start-skip-ms');
  const skipMs = skipAt === -1 ? 3000 : Number(process.argv[skipAt + 1]);
  const sources = new SourceFiles();
  const serving = new Map<string, number>();
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.cpuprofile')).sort()) {
    const totals = stagesOf(JSON.parse(readFileSync(join(directory, file), 'utf8')) as CpuProfile, sources, skipMs);
    print(file, totals);
    const busy = [...totals].filter(([stage]) => stage !== 'idle').reduce((sum, [, ms]) => sum + ms, 0);
    // The serving threads: the busiest ones (a primary and an idle thread take far less).
    if (busy > 1000) for (const [stage, ms] of totals) serving.set(stage, (serving.get(stage) ?? 0) + ms);
  }
  print('every thread busy for more than 1 s, together', serving);
}

main();
