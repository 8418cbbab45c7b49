import { createServer } from 'node:net';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Where a test finds a PostgreSQL it may create schemas in, and how it lets go of it. */
export interface TestPostgres {
  /** A libpq URL of a database the tests may use freely; may carry a password, so never print it. */
  readonly url: string;
  /** Where it came from, for messages: `STRONGROOM_TEST_DATABASE_URL` or the throwaway cluster's directory. */
  readonly source: string;
  /** Stops and deletes a throwaway cluster; does nothing to a server given by URL. */
  stop(): Promise<void>;
  /**
   * Stops and restarts the server of a throwaway cluster on the same directory and socket (an outage the
   * tests cause); undefined for a server given by URL, which tests do not stop.
   */
  readonly outage: PostgresOutageControl | undefined;
}

/** A throwaway cluster's server, stopped and started again by a test; its data stays. */
export interface PostgresOutageControl {
  /** `pg_ctl stop -m fast`: open connections are cut, new ones refused (the socket disappears). */
  stopServer(): Promise<void>;
  /** Starts the server again on the same data directory and socket, as before. */
  startServer(): Promise<void>;
}

/** How a throwaway cluster is started; a server given by URL is used as it is. */
export interface TestPostgresOptions {
  /** `max_connections` (default 50); tests running several Strongroom nodes need more. */
  readonly maxConnections?: number;
}

/** The user the throwaway cluster is created as; the server refuses to run as root. */
const CLUSTER_USER = 'strongroom';

/**
 * A PostgreSQL for tests, or why there is none:
 * 1. `STRONGROOM_TEST_DATABASE_URL`, when set, is used as it is (CI or a developer's own server);
 * 2. otherwise a throwaway cluster is created with Debian's binaries (`/usr/lib/postgresql/<version>/bin`):
 *    `initdb` into a temporary directory, a server listening on a free port of 127.0.0.1 (and a Unix socket in
 *    that directory), trust authentication for the local user `strongroom`. As root, the
 *    cluster belongs to the `postgres` system user (Debian's package creates it) and its commands run through
 *    `runuser`, because PostgreSQL refuses to run as root.
 * 3. otherwise the caller skips, with the message returned — unless `STRONGROOM_REQUIRE_POSTGRES=1` or
 *    `CI=true`, when this throws so the run fails instead of passing without PostgreSQL.
 *
 * @example
 *   const postgres = await startTestPostgres();
 *   after(() => postgres.found?.stop());
 *   describe('PostgreSQL', { skip: postgres.skip }, () => { ... postgres.found.url ... });
 */
export async function startTestPostgres(
  options: TestPostgresOptions = {},
): Promise<{ found: TestPostgres; skip: false } | { found: undefined; skip: string }> {
  const url = process.env['STRONGROOM_TEST_DATABASE_URL'];
  if (url !== undefined && url !== '') {
    return { found: { url, source: 'STRONGROOM_TEST_DATABASE_URL', stop: async () => {}, outage: undefined }, skip: false };
  }
  const binaries = findPostgresBinaries();
  if (binaries === undefined) {
    return notFound('no PostgreSQL: set STRONGROOM_TEST_DATABASE_URL or install Debian\'s postgresql package');
  }
  return { found: await startThrowawayCluster(binaries, options.maxConnections ?? 50), skip: false };
}

function notFound(message: string): { found: undefined; skip: string } {
  if (process.env['STRONGROOM_REQUIRE_POSTGRES'] === '1' || process.env['CI'] === 'true') {
    throw new Error(`${message}, and this run requires PostgreSQL (STRONGROOM_REQUIRE_POSTGRES=1 or CI=true)`);
  }
  return { found: undefined, skip: message };
}

/** The `bin` directory of the newest PostgreSQL Debian installed, when it has what a cluster needs. */
function findPostgresBinaries(): string | undefined {
  return postgresBinDirectories().find((bin) => ['initdb', 'pg_ctl', 'postgres'].every((name) => existsSync(join(bin, name))));
}

/** The `bin` directories of the PostgreSQL versions Debian installed (`/usr/lib/postgresql/<version>/bin`), newest first. */
function postgresBinDirectories(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  const versions = readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => join(root, version, 'bin'));
}

async function startThrowawayCluster(bin: string, maxConnections: number): Promise<TestPostgres> {
  const directory = mkdtempSync(join(tmpdir(), 'strongroom-pg-'));
  const data = join(directory, 'data');
  const asOwner = ownerOf(directory);
  const pgCtl = (...args: string[]) => asOwner(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const stopNow = () => {
    try {
      const [command, args] = asOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      execFileSync(command, args, { stdio: 'ignore', cwd: directory });
    } catch {
      // Not running (never started, or already stopped).
    }
    rmSync(directory, { recursive: true, force: true });
  };
  // On a free port of 127.0.0.1 (nodes reach it over TCP, as in production; the socket stays in the directory);
  // fsync stays on, as in production: the suites are about durable writes.
  const port = await freeLocalPort();
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${directory} -c max_connections=${maxConnections}`;
  const startServer = () => runIn(directory, pgCtl('-w', '-t', '60', '-l', join(directory, 'server.log'), '-o', serverOptions, 'start'));
  // A backstop: a run that dies before its `after` hook still leaves no server behind.
  process.once('exit', stopNow);
  try {
    await runIn(directory, asOwner(join(bin, 'initdb'), [
      '-D', data, '-U', CLUSTER_USER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync',
    ]));
    await startServer();
  } catch (error) {
    stopNow();
    process.removeListener('exit', stopNow);
    throw new Error(`could not start a throwaway PostgreSQL with ${bin}: ${String(error)}`);
  }
  return {
    url: `postgresql://${CLUSTER_USER}@127.0.0.1:${port}/postgres`,
    source: directory,
    async stop() {
      process.removeListener('exit', stopNow);
      await runIn(directory, pgCtl('-m', 'fast', 'stop')).catch(() => undefined);
      stopNow();
    },
    outage: {
      stopServer: () => runIn(directory, pgCtl('-w', '-m', 'fast', 'stop')),
      startServer,
    },
  };
}

/**
 * Creates a new, empty database on the test server and returns its URL (the test server's URL naming it):
 * for tests that need a whole database, as `strongroom init` does, rather than a schema. Left for the
 * throwaway cluster's removal, or for whoever runs the server given by URL.
 *
 * @example
 *   const databaseUrl = await createTestDatabase(postgres.found, 'cluster');
 */
export async function createTestDatabase(postgres: TestPostgres, prefix = 'strongroom'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgres.url);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A client program of the newest PostgreSQL Debian installed (`pg_dump`, `psql`), or undefined when there is none.
 *
 * @example
 *   const pgDump = postgresTool('pg_dump');
 */
export function postgresTool(name: string): string | undefined {
  return postgresBinDirectories().map((bin) => join(bin, name)).find((path) => existsSync(path));
}

type Command = [string, string[]];

/**
 * How to run a PostgreSQL command on the cluster in `directory`: directly for an ordinary user; as root, as
 * the `postgres` system user, who is given the directory.
 */
function ownerOf(directory: string): (command: string, args: string[]) => Command {
  if (process.getuid?.() !== 0) return (command, args) => [command, args];
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(directory, uid, gid);
  return (command, args) => ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

async function runIn(directory: string, [command, args]: Command): Promise<void> {
  await run(command, args, { cwd: directory, timeout: 120_000 });
}

/** A TCP port of 127.0.0.1 free right now (the kernel's choice), for a cluster to listen on. */
function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
