import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * Standard output of a CLI command, which may print much (`audit export` piped into a log shipper).
 *
 * Why not `process.stdout.write` and then `process.exit`: a pipe takes only what fits in its kernel buffer;
 * Node queues the rest in memory and writes it as the reader reads, and `process.exit` throws that queue away
 * (an export piped into `wc -l` lost half its records, with exit code 0). So `print` waits while the stream's
 * queue is full, which also keeps an export of any size in little memory, and `flush` resolves once everything
 * written to the stream has reached it. A write that fails (the reader gone, a full disk) is never silent: it
 * rejects the next `print` and every `flush` with an `OutputError`.
 *
 * @example
 *   const output = commandOutput(process.stdout);
 *   for (const event of events) await output.print(`${event.json}\n`);
 *   await output.flush(); // only now may the process exit
 */
export interface CommandOutput {
  /** Writes `text`; resolves once the stream can take more. */
  print(text: string): Promise<void>;
  /** Writes `text` without waiting (for a command that prints once); `flush` waits for it as for the rest. */
  write(text: string): void;
  /** Resolves once everything written to the stream so far (through `print` or not) is written. */
  flush(): Promise<void>;
}

/** Writing standard output failed. `readerGone`: EPIPE, the reading end was closed (as `| head` does). */
export class OutputError extends Error {
  readonly readerGone: boolean;

  constructor(override readonly cause: Error) {
    super(`cannot write the output: ${cause.message}`);
    this.name = 'OutputError';
    this.readerGone = (cause as NodeJS.ErrnoException).code === 'EPIPE';
  }
}

/** Standard output of a command over `stream` (process.stdout; a pipe, a file, a terminal). */
export function commandOutput(stream: Writable): CommandOutput {
  let failure: OutputError | undefined;
  // The first failure is the one reported; it also keeps a failed write from crashing the process unhandled.
  const failed = (error: Error): OutputError => (failure ??= new OutputError(error));
  stream.on('error', failed);

  /** Resolves when the stream drains; rejects when it fails or closes first (a closed stream never drains). */
  const room = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const settle = (error?: Error): void => {
        stream.off('drain', onDrain).off('error', onError).off('close', onClose);
        if (error) reject(failed(error));
        else resolve();
      };
      const onDrain = (): void => settle();
      const onError = (error: Error): void => settle(error);
      const onClose = (): void => settle(new Error('the stream was closed'));
      stream.on('drain', onDrain).on('error', onError).on('close', onClose);
    });

  return {
    async print(text) {
      if (failure) throw failure;
      if (!stream.write(text)) await room();
    },
    write(text) {
      if (!failure) stream.write(text);
    },
    flush() {
      return new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        // A stream writes in order, so the callback of an empty write runs once everything before it is written.
        stream.write('', (error) => (error ? reject(failed(error)) : resolve()));
      });
    },
  };
}

/**
 * Writes `text` whole to a file descriptor, synchronously, as `serve` prints (its ready line, the first start's
 * credentials). `serve` must leave standard output blocking: opening `process.stdout` on a pipe makes the pipe
 * non-blocking, for the workers too (they share it), and `--audit-stream -` writes its records to it
 * synchronously, which then fail with EAGAIN whenever the reader falls behind. (Anything that touches
 * `process.stdout` opens it; `stream.pipe()` does, so a worker thread started without `stdout: true` does.)
 */
export function printSync(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
}
