import { Transform, type TransformCallback } from 'node:stream';

/** Where the progress line goes: standard error, which is a terminal or not. */
export interface ProgressTerminal {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

export interface ProgressOptions {
  /** The input's size in bytes, when known (a regular file): then the line has a percentage and time left. */
  readonly total?: number;
  readonly terminal: ProgressTerminal;
  readonly now?: () => number;
  readonly intervalMs?: number;
}

/**
 * A progress line for a long copy: a pass-through stream counting the bytes through it, redrawn on the terminal
 * every `intervalMs`. Only on a terminal: `progressMeter` returns undefined when stderr is a pipe or a file, so a
 * script's log never fills with carriage returns. A command done within one interval draws nothing at all.
 *
 * @example
 *   const meter = progressMeter({ total: size, terminal: process.stderr });
 *   await pipeline([input, ...(meter ? [meter.counter] : []), output]);
 *   meter?.finish(); // or meter?.abandon() on failure, which wipes the line before the error is printed
 */
export interface ProgressMeter {
  readonly counter: Transform;
  /** Draws the final line (when a line was drawn at all) and ends it. */
  finish(): void;
  /** Erases the line. */
  abandon(): void;
}

const ERASE_LINE = '\r\x1b[K';

export function progressMeter({ total, terminal, now = Date.now, intervalMs = 200 }: ProgressOptions): ProgressMeter | undefined {
  if (terminal.isTTY !== true) return undefined;
  const started = now();
  let done = 0;
  let drawn = false;
  let finished = false;
  const draw = (): void => {
    const line = formatProgress({ done, elapsedMs: now() - started, ...(total === undefined ? {} : { total }), finished });
    // A terminal that does not know its width (0, as under `script`) gets the usual 80 columns.
    const width = (terminal.columns !== undefined && terminal.columns > 0 ? terminal.columns : 80) - 1;
    terminal.write(`${ERASE_LINE}${line.slice(0, width)}`);
    drawn = true;
  };
  const timer = setInterval(draw, intervalMs);
  timer.unref();
  const counter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      done += chunk.length;
      callback(null, chunk);
    },
  });
  return {
    counter,
    finish() {
      clearInterval(timer);
      if (!drawn) return;
      finished = true;
      draw();
      terminal.write('\n');
    },
    abandon() {
      clearInterval(timer);
      if (drawn) terminal.write(ERASE_LINE);
    },
  };
}

/**
 * One progress line: bytes done (of the total), the average rate so far, and the time left at that rate; once
 * `finished`, the bytes, the rate and the time it took.
 *
 * @example formatProgress({ done: 50 * 2 ** 20, total: 200 * 2 ** 20, elapsedMs: 2000 })
 *   // '50.0 MiB / 200.0 MiB  25%  25.0 MiB/s  0:06 left'
 */
export function formatProgress({ done, total, elapsedMs, finished = false }: { done: number; total?: number; elapsedMs: number; finished?: boolean }): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  if (finished) return `${formatBytes(done)}  ${formatBytes(rate)}/s  in ${formatDuration(elapsedMs / 1000)}`;
  const parts = [total === undefined ? formatBytes(done) : `${formatBytes(done)} / ${formatBytes(total)}`];
  if (total !== undefined && total > 0) parts.push(`${Math.min(100, Math.floor((done * 100) / total))}%`);
  if (rate > 0) parts.push(`${formatBytes(rate)}/s`);
  if (total !== undefined && rate > 0) parts.push(`${formatDuration(Math.max(0, total - done) / rate)} left`);
  return parts.join('  ');
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Binary units, one decimal from KiB on: `512 B`, `1.5 KiB`, `200.0 MiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** `m:ss`, or `h:mm:ss` from an hour on. */
export function formatDuration(seconds: number): string {
  const whole = Math.ceil(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
