import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleAsset, ConsoleAssets } from '../api/console/console-endpoint.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Where `npm run build` writes the console (web/, built by Vite into dist/console/): beside the bundle that runs
 * (dist/strongroom.js and its chunks), or, run from source (tests through tsx), in the project's dist/.
 */
export function builtConsoleDirectory(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSource ? '../../dist/console/' : './console/', import.meta.url));
}

/**
 * The console's files, read once at the first request for one (a server that nobody opens the console on pays
 * nothing at start) and then served from memory. Only files found in the directory exist: a path is looked up,
 * never joined onto the directory, so `..` in a request reaches nothing.
 */
export function consoleAssetsIn(directory: string): ConsoleAssets {
  let loading: Promise<ReadonlyMap<string, ConsoleAsset>> | undefined;
  return {
    async get(path) {
      loading ??= loadAssets(directory).catch((error: unknown) => {
        loading = undefined; // built later (`npm run build` while serving): try again at the next request
        throw error;
      });
      return (await loading).get(path);
    },
  };
}

async function loadAssets(directory: string): Promise<ReadonlyMap<string, ConsoleAsset>> {
  const assets = new Map<string, ConsoleAsset>();
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const contentType = CONTENT_TYPES[extname(entry.name)];
    if (!entry.isFile() || contentType === undefined) continue;
    const file = join(entry.parentPath, entry.name);
    const path = relative(directory, file).split(sep).join('/');
    assets.set(path, { contentType, body: await readFile(file, 'utf8'), immutable: path.startsWith('assets/') });
  }
  if (!assets.has('index.html')) throw new Error(`no console in ${directory}`);
  return assets;
}
