#!/usr/bin/env node
// Bundles what users run into dist/ (ADR 0011): the CLI (dist/strongroom.js: `npm start`, bin/strongroom.js, the
// end-to-end suites, the benchmark), the library (dist/library.js and its types, dist/library.d.ts: the package's
// `exports`), and the audit indexing thread's entry (dist/indexer-worker.js), beside them, where the bundle looks
// for it. Why: loading one file instead of ~270 modules halves the time from spawn to the first answered request,
// because every serving process pays for it. Type checking stays with tsc (`npm run typecheck`, `npm test`).
//
// Code the entries share, and code reached only through `import()`, goes into dist/chunk-<hash>.js: the library
// does not carry a second copy of the server, and a command's code that `serve` never runs (loaded with `import()`)
// is neither parsed nor run when a server starts. A build moves its files into dist/ whole, chunks first, and keeps
// the previous build's chunks: a process that starts while another one rebuilds loads one build or the other.
//
// Builds only what changed: the bundle is skipped when it is newer than every file that went into it (the
// esbuild metafile's inputs, recorded in dist/bundle-inputs.json, with this script and the lockfiles), so that
// `npm start` on a built tree goes straight to serving. `--force` rebuilds regardless; `--clean` (npm pack's
// prepack) also removes the previous build's chunks, so that the package holds the current build only.
// better-sqlite3 and pkcs11js stay outside: each loads a native addon from its own package (pkcs11js is optional,
// imported only by a server whose root of trust is a PKCS#11 token).
import { readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = 'dist';
const RECORD = join(OUT_DIR, 'bundle-inputs.json');
const ENTRY_POINTS = { strongroom: 'src/cli/main.ts', library: 'src/library.ts', 'indexer-worker': 'src/audit/indexer-worker.ts' };
/** Beside the entries, not in a folder: code in a chunk finds the indexing thread's entry as `./indexer-worker.js`. */
const CHUNK_PREFIX = 'chunk-';
const LIBRARY_TYPES = { source: 'src/library.ts', output: join(OUT_DIR, 'library.d.ts') };
/**
 * Inputs the metafile does not name. npm gives installed files the mtime of the package tarball (a fixed date),
 * so a changed dependency shows only in the lockfiles it rewrites: those stand for every file under node_modules.
 */
const UNSEEN_INPUTS = ['scripts/bundle.mjs', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json'];
/**
 * Bundled CommonJS packages may `require()` Node's built-ins, which an ES module has no `require` for; the alias
 * keeps it apart from bundled code's own `createRequire` imports.
 */
const REQUIRE_SHIM = "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);";

/**
 * Brings dist/ up to date; returns whether anything was built. `types: false` leaves the library's declarations
 * alone (`npm start` runs none of them, and loading TypeScript to write them takes about a second).
 */
export async function bundle({ force = false, clean = false, types = true } = {}) {
  const stale = force || !isBundleFresh();
  if (stale) await buildBundle();
  const typesStale = types && (force || !isNewerThan(LIBRARY_TYPES.output, [LIBRARY_TYPES.source]));
  if (typesStale) await buildLibraryTypes();
  if (clean) await removeChunksExcept(readRecord()?.outputs ?? []);
  return stale || typesStale;
}

async function buildBundle() {
  const { build } = await import('esbuild'); // only when something changed: starting it costs more than the check
  const previous = readRecord()?.outputs ?? [];
  await mkdir(join(ROOT, OUT_DIR), { recursive: true });
  const staging = await mkdtemp(join(ROOT, OUT_DIR, '.bundle-'));
  try {
    const { metafile } = await build({
      absWorkingDir: ROOT,
      entryPoints: ENTRY_POINTS,
      outdir: staging,
      bundle: true,
      splitting: true,
      chunkNames: `${CHUNK_PREFIX}[hash]`,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['better-sqlite3', 'pkcs11js'],
      banner: { js: REQUIRE_SHIM },
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'warning',
    });
    // Maps and chunks before the entries that load them, so that whatever is in place finds what it needs.
    const order = (name) => (name.endsWith('.map') ? 0 : name.startsWith(CHUNK_PREFIX) ? 1 : 2);
    const outputs = (await readdir(staging)).sort((a, b) => order(a) - order(b));
    for (const name of outputs) await rename(join(staging, name), join(ROOT, OUT_DIR, name));
    const sources = Object.keys(metafile.inputs).filter((path) => !path.startsWith('node_modules/'));
    const record = { inputs: [...sources, ...UNSEEN_INPUTS], outputs: outputs.map((name) => join(OUT_DIR, name)) };
    await writeFile(join(ROOT, RECORD), `${JSON.stringify(record, null, 1)}\n`);
    await removeChunksExcept([...record.outputs, ...previous]);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Removes the chunks (and their maps) in dist/ that `keep` does not name. */
async function removeChunksExcept(keep) {
  for (const name of await readdir(join(ROOT, OUT_DIR))) {
    if (name.startsWith(CHUNK_PREFIX) && !keep.includes(join(OUT_DIR, name))) await rm(join(ROOT, OUT_DIR, name), { force: true });
  }
}

/** What the last build recorded: its source inputs and its outputs (paths from the project root). */
function readRecord() {
  try {
    return JSON.parse(readFileSync(join(ROOT, RECORD), 'utf8'));
  } catch {
    return undefined; // never built here
  }
}

/** Whether every output of the last build exists and is newer than every input it recorded. */
function isBundleFresh() {
  const record = readRecord();
  if (record === undefined) return false;
  // Synchronous: a few hundred stats of cached inodes take milliseconds this way, far more through the thread pool.
  const outputs = record.outputs.map(mtimeOf);
  if (outputs.includes(undefined)) return false;
  const oldestOutput = Math.min(...outputs);
  const inputs = record.inputs.map(mtimeOf);
  // A recorded source that is gone is a change (what imported it changed too); a missing lockfile is not.
  if (inputs.some((mtime, index) => mtime === undefined && !UNSEEN_INPUTS.includes(record.inputs[index]))) return false;
  return inputs.every((mtime) => mtime === undefined || mtime <= oldestOutput);
}

function isNewerThan(output, inputs) {
  const built = mtimeOf(output);
  if (built === undefined) return false;
  const sources = inputs.map(mtimeOf);
  return sources.every((mtime) => mtime !== undefined && mtime <= built);
}

function mtimeOf(path) {
  return statSync(join(ROOT, path), { throwIfNoEntry: false })?.mtimeMs;
}

/**
 * dist/library.d.ts from src/library.ts alone (TypeScript's isolated declaration emit, milliseconds instead of a
 * type check of the project): library.ts declares every type of its public surface itself for this reason.
 */
async function buildLibraryTypes() {
  const { default: ts } = await import('typescript');
  const source = await readFile(join(ROOT, LIBRARY_TYPES.source), 'utf8');
  const { outputText, diagnostics = [] } = ts.transpileDeclaration(source, {
    fileName: LIBRARY_TYPES.source,
    reportDiagnostics: true,
    compilerOptions: { strict: true, module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2022 },
  });
  if (diagnostics.length > 0) {
    const messages = diagnostics.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    throw new Error(`${LIBRARY_TYPES.source}: cannot emit its declarations on their own:\n${messages.join('\n')}`);
  }
  await writeFile(join(ROOT, LIBRARY_TYPES.output), outputText);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundle({ force: process.argv.includes('--force'), clean: process.argv.includes('--clean') });
}
