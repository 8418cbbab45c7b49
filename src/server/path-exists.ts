import { access } from 'node:fs/promises';

/** Whether something exists at `path` (a file, a directory); unreadable parents count as not existing. */
export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
