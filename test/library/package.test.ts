import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { readyEndpoint } from '../support/server-process.js';
import { PROJECT_ROOT } from '../support/shared.js';

const run = promisify(execFile);

/**
 * What the tarball may hold: the executable, the bundles (with the chunks they share, `dist/chunk-<hash>.js`), the
 * library's types, and what npm always adds. No sources, tests, source maps or build records.
 */
const PACKAGE_FILES = [
  'README.md', 'bin/strongroom.js', 'dist/console/index.html', 'dist/indexer-worker.js', 'dist/library.d.ts', 'dist/library.js', 'dist/strongroom.js', 'package.json',
];

interface LockEntry {
  version?: string;
  resolved?: string;
  dev?: boolean;
  link?: boolean;
  [field: string]: unknown;
}

/**
 * A lockfile for a project that depends on the tarball alone: the tarball, and every package the repository's own
 * lockfile installs for production (its dependencies, at the versions tested here), each with the registry address
 * npm caches it under. With it, `npm ci --offline` installs from the npm cache that installing this repository
 * filled, without asking the registry anything (the repository's lockfile omits those addresses).
 */
async function consumerLockfile(tarball: string, integrity: string) {
  const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(await readFile(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packages: Record<string, LockEntry> = {
    '': { name: 'consumer', dependencies: { strongroom: `file:${tarball}` } },
    'node_modules/strongroom': {
      version: manifest['version'] as string, resolved: `file:${tarball}`, integrity,
      dependencies: manifest['dependencies'], bin: manifest['bin'], engines: manifest['engines'],
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true || entry.link === true) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const resolved = entry.resolved ?? `https://registry.npmjs.org/${name}/-/${name.split('/').pop()!}-${entry.version!}.tgz`;
    packages[path] = { ...entry, resolved };
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

/** Makes a project in `dir` that installs the tarball (in `dir`) as a user would; undefined, or why it cannot. */
async function installTarball(dir: string, tarball: string): Promise<string | undefined> {
  const integrity = `sha512-${createHash('sha512').update(await readFile(join(dir, tarball))).digest('base64')}`;
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { strongroom: `file:${tarball}` } }));
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify(await consumerLockfile(tarball, integrity)));
  try {
    // Install scripts off: better-sqlite3's would compile SQLite from source (a minute or more of C, offline, that
    // tests nothing of ours). Its addon, built for this Node when this repository was installed, is copied instead.
    await run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir });
  } catch (error) {
    const output = String((error as { stderr?: unknown }).stderr ?? error);
    if (output.includes('ENOTCACHED')) return `the npm cache lacks a dependency (run npm ci in the repository first): ${output.split('\n')[1] ?? ''}`;
    throw error;
  }
  const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  await mkdir(join(dir, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
  await copyFile(join(PROJECT_ROOT, addon), join(dir, addon));
  return undefined;
}

/** Encrypts and decrypts once through a server at `endpoint` with `test`/`test`. */
async function roundTrip(endpoint: string): Promise<void> {
  const kms = new KMSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId!, Plaintext: Buffer.from('packed') }));
    const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: CiphertextBlob! }));
    assert.equal(Buffer.from(Plaintext!).toString(), 'packed');
  } finally {
    kms.destroy();
  }
}

/** Runs `npx strongroom serve --ephemeral` in `dir`, answers one round trip, and stops it (SIGTERM to its group). */
async function serveWithNpx(dir: string): Promise<void> {
  const child = spawn('npx', ['--no-install', 'strongroom', 'serve', '--ephemeral', '--port', '0'], {
    cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit');
  try {
    const endpoint = await readyEndpoint(child, () => stderr);
    await roundTrip(endpoint);
    const page = await fetch(`${endpoint}/console/`);
    assert.equal(page.status, 200, 'the installed package serves the console it ships');
    assert.match(await page.text(), /<div id="app">|<script type="module"/);
  } finally {
    process.kill(-child.pid!, 'SIGTERM'); // npx, npm exec and the server: the server stops cleanly on it
    await exited;
  }
}

/** Imports the library from `dir` as a user's test would; the script keeps the server until told to stop. */
async function startWithLibrary(dir: string): Promise<void> {
  await writeFile(join(dir, 'use-library.mjs'), [
    "import { startStrongroom } from 'strongroom';",
    'const strongroom = await startStrongroom();',
    'console.log(JSON.stringify({ endpoint: strongroom.endpoint, credentials: strongroom.credentials }));',
    "process.stdin.once('data', async () => { await strongroom.stop(); console.log('stopped'); });",
  ].join('\n'));
  const child = spawn(process.execPath, ['use-library.mjs'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = once(child, 'exit');
  while (!output.includes('\n')) await once(child.stdout, 'data');
  const started = JSON.parse(output.split('\n')[0]!) as { endpoint: string; credentials: unknown };
  assert.deepEqual(started.credentials, { accessKeyId: 'test', secretAccessKey: 'test' });
  await roundTrip(started.endpoint);
  child.stdin.end('stop\n');
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0, 'stop() lets the process end: nothing of the server is left holding it');
  assert.match(output, /stopped/);
}

/** Type-checks a use of the library against the installed package's declarations (through its `exports`). */
async function typeCheckUse(dir: string): Promise<void> {
  await writeFile(join(dir, 'check.ts'), [
    "import { startStrongroom, type RunningStrongroom, type StartStrongroomOptions } from 'strongroom';",
    "const options: StartStrongroomOptions = { port: 0, region: 'eu-west-1' };",
    'const strongroom: RunningStrongroom = await startStrongroom(options);',
    'const secret: string = strongroom.credentials.secretAccessKey;',
    'await strongroom.stop();',
    'export { secret };',
  ].join('\n'));
  // No ambient types: the declarations must stand on their own (and checking @types/node would take seconds).
  const compilerOptions = { noEmit: true, strict: true, module: 'nodenext', target: 'es2022', types: [] };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.ts'] }));
  await run(process.execPath, [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: dir });
}

test('the package: npm pack holds only what users run; installed from the tarball, `npx strongroom serve` and `import { startStrongroom }` work', { timeout: 300_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'strongroom-package-'));
  try {
    // `private: true` keeps it off the registry; `npm pack` makes the tarball regardless (prepack bundles first).
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: PROJECT_ROOT });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    const files = packed.files.map((file) => file.path);
    const hashed = (path: string) => path.startsWith('dist/chunk-') || path.startsWith('dist/console/assets/');
    assert.deepEqual(files.filter((path) => !hashed(path)).sort(), PACKAGE_FILES);
    for (const chunk of files.filter((path) => path.startsWith('dist/chunk-'))) assert.match(chunk, /^dist\/chunk-[A-Z0-9]+\.js$/);
    const consoleAssets = files.filter((path) => path.startsWith('dist/console/assets/'));
    assert.ok(consoleAssets.some((path) => path.endsWith('.js')) && consoleAssets.some((path) => path.endsWith('.css')), 'the built console ships');
    for (const asset of consoleAssets) assert.match(asset, /^dist\/console\/assets\/[\w.-]+\.(js|css)$/);

    const cannotInstall = await installTarball(dir, packed.filename);
    if (cannotInstall !== undefined) {
      t.skip(cannotInstall);
      return;
    }
    await serveWithNpx(dir);
    await startWithLibrary(dir);
    await typeCheckUse(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
