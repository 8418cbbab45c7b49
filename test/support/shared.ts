import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The project's root: tests run from it (`npm test`). */
export const PROJECT_ROOT = process.cwd();

/** `../shared` beside the project: present in CI and on developers' machines, absent on a user's clone. */
export const SHARED_DIR = resolve(PROJECT_ROOT, '..', 'shared');

/**
 * Locates a file or folder of `../shared` for a test.
 * Returns `skip: false` and the path when it exists. When it is absent, returns a skip message so the test
 * skips with it — unless `STRONGROOM_REQUIRE_SHARED=1` (set by `.ci/run`), when it throws so the test fails.
 *
 * @example
 *   const vectors = fromShared('vectors/wycheproof/aes_gcm_test.json');
 *   test('AES-GCM vectors', { skip: vectors.skip }, () => { ... readFileSync(vectors.path) ... });
 */
export function fromShared(relative: string): { path: string; skip: string | false } {
  const path = resolve(SHARED_DIR, relative);
  if (existsSync(path)) return { path, skip: false };
  const message = `../shared/${relative} is absent (it exists only beside a development checkout)`;
  if (process.env['STRONGROOM_REQUIRE_SHARED'] === '1') {
    throw new Error(`${message}, and STRONGROOM_REQUIRE_SHARED=1 requires it`);
  }
  return { path, skip: message };
}
