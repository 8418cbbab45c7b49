import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time as the kernel counts it, for the benchmark's "µs of CPU per request" figures: CPU time is far steadier than
 * wall-clock throughput on a shared, noisy machine (issue #19). Linux only (`/proc`); clock ticks (USER_HZ, 100 a
 * second here), so a figure needs a few seconds of load to be accurate to a percent.
 */
const TICK_MICROS = 10_000;

/** User and system CPU, in µs. */
export interface CpuTime {
  readonly userMicros: number;
  readonly systemMicros: number;
}

/** Every thread's CPU of one process (main thread, V8's and libuv's threads, worker threads), from `/proc/<pid>/stat`. */
export function processCpu(pid: number): CpuTime {
  return statCpu(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** The CPU of `pid` and of every process below it (a server's primary and its workers), summed. */
export function processTreeCpu(pid: number): CpuTime {
  return sum(processTree(pid).map(processCpu));
}

/** `pid` and its descendants, as they are now. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const parent = Number(afterName(readFileSync(`/proc/${name}/stat`, 'utf8'))[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(name)]);
    } catch {
      // It ended while the list was read.
    }
  }
  const tree: number[] = [];
  const visit = (id: number) => {
    tree.push(id);
    for (const child of parents.get(id) ?? []) visit(child);
  };
  visit(pid);
  return tree;
}

/** The CPU of each thread of `pid` by thread id (the main thread's id is the pid). */
export function threadCpu(pid: number): Map<number, CpuTime> {
  const threads = new Map<number, CpuTime>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      threads.set(Number(tid), statCpu(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return threads;
}

/** The whole machine's busy time (everything but idle and I/O wait, all cores together), from `/proc/stat`. */
export function machineBusyMicros(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) * TICK_MICROS;
}

/** `after - before`. */
export function cpuSince(before: CpuTime, after: CpuTime): CpuTime {
  return { userMicros: after.userMicros - before.userMicros, systemMicros: after.systemMicros - before.systemMicros };
}

export function totalMicros(cpu: CpuTime): number {
  return cpu.userMicros + cpu.systemMicros;
}

function sum(times: readonly CpuTime[]): CpuTime {
  return times.reduce((a, b) => ({ userMicros: a.userMicros + b.userMicros, systemMicros: a.systemMicros + b.systemMicros }), {
    userMicros: 0,
    systemMicros: 0,
  });
}

/** utime and stime (fields 14 and 15 of stat(5)), counted after the parenthesised command name, which may hold spaces. */
function statCpu(stat: string): CpuTime {
  const fields = afterName(stat);
  return { userMicros: Number(fields[11]) * TICK_MICROS, systemMicros: Number(fields[12]) * TICK_MICROS };
}

/** The fields after `(comm)`: state is [0], ppid [1], utime [11], stime [12]. */
function afterName(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
