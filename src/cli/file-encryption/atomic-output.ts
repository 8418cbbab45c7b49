import { randomBytes } from 'node:crypto';
import { createWriteStream, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * Where a command writes its result: a file that appears only when complete, or standard output.
 *
 * A file is written to a temporary file beside it (same directory, so the rename is atomic; mode 0600, so a
 * half-written plaintext is never readable by others), synced, and renamed over OUT by `commit`. `discard`
 * removes it, and so does an interrupting signal: a failed or interrupted run never leaves a partial OUT, and
 * an existing OUT is untouched unless the run succeeds. Standard output cannot be taken back: what was written
 * stays written (docs/file-encryption.md says what that means for decrypt).
 *
 * @example
 *   const output = await openAtomicOutput('secret.txt.enc', () => process.stdout);
 *   try { await pipeline(input, encryptor, output.stream); await output.commit(); }
 *   catch (error) { await output.discard(); throw error; }
 */
export interface AtomicOutput {
  readonly stream: Writable;
  /** Makes the output final (renames the temporary file into place). Call once the stream has closed. */
  commit(): Promise<void>;
  /** Removes what was written, when it can be. Never throws. */
  discard(): Promise<void>;
}

/** OUT cannot be written (its directory is missing or not writable). Names OUT, not the temporary file. */
export class OutputFileError extends Error {
  override readonly name = 'OutputFileError';

  constructor(path: string, cause: NodeJS.ErrnoException) {
    // The system's message names the temporary file ("ENOENT: no such file or directory, open '/d/.x.1f.partial'"):
    // keep its reason, say OUT.
    super(`cannot write ${path}: ${cause.message.split(',', 1)[0]}`);
  }
}

const INTERRUPTIONS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/** `path` '-': standard output (`stdout()`, opened only then). */
export async function openAtomicOutput(path: string, stdout: () => Writable): Promise<AtomicOutput> {
  if (path === '-') return { stream: stdout(), commit: async () => undefined, discard: async () => undefined };
  const target = resolve(path);
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  // Watching from before the file exists: a signal may come as soon as it does.
  const stopWatching = removeOnExit(temporary);
  const handle = await open(temporary, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    stopWatching();
    throw new OutputFileError(path, error);
  });
  // `flush`: the data is on disk (fsync) before the stream closes, so before the name points at it.
  const stream = createWriteStream(temporary, { fd: handle, flush: true });

  let settled = false;
  return {
    stream,
    async commit() {
      settled = true;
      try {
        await rename(temporary, target);
      } catch (error) {
        await unlink(temporary).catch(() => undefined);
        throw new OutputFileError(path, error as NodeJS.ErrnoException);
      } finally {
        stopWatching();
      }
    },
    async discard() {
      if (settled) return;
      settled = true;
      stream.destroy();
      await handle.close().catch(() => undefined);
      await unlink(temporary).catch(() => undefined);
      stopWatching();
    },
  };
}

/**
 * Removes `path` if the process exits (or is interrupted) before the returned function is called. A signal ends
 * the process without unwinding, so the removal runs in the exit handler (synchronously, as an exit handler
 * must), and a signal exits as the shell expects (128 + its number).
 */
function removeOnExit(path: string): () => void {
  const onExit = (): void => removeQuietly(path);
  const onSignal = (signal: keyof typeof INTERRUPTIONS): void => process.exit(128 + INTERRUPTIONS[signal]);
  const signals = Object.keys(INTERRUPTIONS) as Array<keyof typeof INTERRUPTIONS>;
  process.on('exit', onExit);
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    process.off('exit', onExit);
    for (const signal of signals) process.off(signal, onSignal);
  };
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
