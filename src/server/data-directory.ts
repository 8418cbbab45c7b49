import { constants } from 'node:fs';
import { access, mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The files of a data directory. Only `root.key`, `credentials` and (with `--tls-self-signed`) `tls.key` hold
 * secrets, all mode 0600.
 */
export function dataDirectoryLayout(dataDir: string) {
  return {
    rootKey: join(dataDir, 'root.key'),
    database: join(dataDir, 'strongroom.db'),
    auditDatabase: join(dataDir, 'audit.db'),
    credentials: join(dataDir, 'credentials'),
  } as const;
}

/** Creates the data directory (mode 0700) if needed; throws a message naming the problem if unusable. */
export async function prepareDataDirectory(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const info = await stat(dataDir);
    if (!info.isDirectory()) throw new Error('it is not a directory');
    await access(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`data directory ${dataDir} is unusable: ${reason}`);
  }
}

/** Writes a file atomically with mode 0600: temp file, fsync, rename, fsync of the directory. */
export async function writePrivateFile(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w', 0o600);
  try {
    await file.writeFile(content);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  const directory = await open(dirname(path), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
