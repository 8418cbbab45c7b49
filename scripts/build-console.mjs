#!/usr/bin/env node
// Builds the web console (web/, a Vite + Preact app: ADR 0024) into dist/console/, which the server serves at
// /console/. Like scripts/bundle.mjs, it builds only what changed: skipped when dist/console/index.html is newer
// than every source file of web/ and the lockfiles (npm gives installed files a fixed mtime, so a changed
// dependency shows only in the lockfiles). Vite is loaded only when a build is needed. `--force` rebuilds.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'web');
const OUTPUT = join(ROOT, 'dist', 'console', 'index.html');
const UNSEEN_INPUTS = ['scripts/build-console.mjs', 'package-lock.json', 'node_modules/.package-lock.json'].map((path) => join(ROOT, path));

/** Brings dist/console/ up to date; returns whether anything was built. */
export async function buildConsole({ force = false } = {}) {
  if (!force && isFresh()) return false;
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

function isFresh() {
  const built = mtimeOf(OUTPUT);
  if (built === undefined) return false;
  return [...sourceFiles(WEB), ...UNSEEN_INPUTS].every((file) => (mtimeOf(file) ?? 0) <= built);
}

function* sourceFiles(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else yield path;
  }
}

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildConsole({ force: process.argv.includes('--force') });
}
