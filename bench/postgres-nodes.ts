/**
 * The multi-node pair of `npm run bench`: Encrypt (1 KB, audit on) on two Strongroom nodes sharing a local
 * PostgreSQL, beside the same load on one embedded node (SQLite in a data directory) with as many serving
 * processes, in the same run — and the ratio of the two (issue 12 aims at ≥ 60%). PostgreSQL is a throwaway
 * cluster of Debian's binaries (test/support/postgres.ts: TCP on 127.0.0.1, fsync on), sharing the machine's cores
 * with the nodes and the load generators, as a small deployment's database would. Without PostgreSQL the pair
 * is skipped, saying so.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../test/support/postgres.js';
import type { LoadResult, LoadSpec } from './load-generator.js';
import { generateLoad } from './generate-load.js';
import { startProcess, type RunningProcess } from './processes.js';
import { headerRow, resultRow } from './result-row.js';
import { createKey, indexingCatchUp, readCredentials } from './bench-client.js';
import { kmsRequest } from './signed-request.js';

const run = promisify(execFile);
const PLAINTEXT = Buffer.alloc(1024, 7).toString('base64');
const WARM_UP_SECONDS = 2;

export interface PostgresPairOptions {
  /** The bundle users run (`dist/strongroom.js`). */
  readonly cli: string;
  /** Serving processes of each mode in total: the embedded node's workers; split over the two PostgreSQL nodes. */
  readonly workers: number;
  readonly durationSeconds: number;
  readonly concurrencies: readonly number[];
  /** Also one run of each mode this long at the highest concurrency (0 or absent: none). */
  readonly sustainedSeconds?: number;
}

/** One mode under test: the endpoints a load is spread over, each with its own signed Encrypt request. */
interface Target {
  readonly requests: ReadonlyArray<{ url: string; request: { headers: Record<string, string>; body: string } }>;
  /** Work the mode defers until a load stops, done before the next run. */
  readonly afterLoad?: () => Promise<void>;
}

/**
 * Prints, for each concurrency, Encrypt's throughput and latency on the embedded node and on the two PostgreSQL
 * nodes (each the mean of two runs), and PostgreSQL's share of SQLite's throughput.
 *
 * @example
 *   await comparePostgresNodes({ cli: 'dist/strongroom.js', workers: 2, durationSeconds: 5, concurrencies: [16, 64] });
 */
export async function comparePostgresNodes(options: PostgresPairOptions): Promise<void> {
  let postgres: Awaited<ReturnType<typeof startTestPostgres>>;
  try {
    postgres = await startTestPostgres({ maxConnections: 100 });
  } catch (error) {
    console.log(`Encrypt on two nodes over PostgreSQL: skipped (${(error as Error).message})`);
    return;
  }
  if (postgres.found === undefined) {
    console.log(`Encrypt on two nodes over PostgreSQL: skipped (${postgres.skip})`);
    return;
  }
  const running: RunningProcess[] = [];
  const directory = await mkdtemp(join(tmpdir(), 'strongroom-bench-pg-'));
  try {
    const embedded = await startEmbedded(options, directory, running);
    const nodes = await startPostgresNodes(options, postgres.found, directory, running);
    const perNode = Math.max(1, Math.floor(options.workers / 2));
    console.log(`Encrypt (1 KB), audit on: one embedded node (SQLite, ${options.workers} workers) vs two nodes ` +
      `(${perNode} worker${perNode > 1 ? 's' : ''} each) over a local PostgreSQL; each load split over two generators`);
    console.log(headerRow('mode'));
    await spread(embedded, 16, WARM_UP_SECONDS);
    await spread(nodes, 16, WARM_UP_SECONDS);
    for (const connections of options.concurrencies) {
      // In the order SQLite, PostgreSQL, PostgreSQL, SQLite: whatever else the machine does drifts over the
      // four runs, and this order spreads the drift evenly over both modes.
      const sqliteFirst = await spread(embedded, connections, options.durationSeconds);
      const pgFirst = await spread(nodes, connections, options.durationSeconds);
      const pgSecond = await spread(nodes, connections, options.durationSeconds);
      const sqliteSecond = await spread(embedded, connections, options.durationSeconds);
      const [sqlite, pg] = [mean(sqliteFirst, sqliteSecond), mean(pgFirst, pgSecond)];
      console.log(resultRow('Encrypt, SQLite, 1 node', connections, sqlite));
      console.log(resultRow('Encrypt, PostgreSQL, 2 nodes', connections, pg));
      console.log(shareRow(connections, sqlite, pg));
    }
    if (options.sustainedSeconds !== undefined && options.sustainedSeconds > 0) {
      // Long enough for the embedded node to index its journal under load (it defers indexing past a short run:
      // up to 50,000 records wait), which PostgreSQL does in every commit: the fair comparison of the two.
      const connections = options.concurrencies[options.concurrencies.length - 1] ?? 64;
      const sqlite = await spread(embedded, connections, options.sustainedSeconds);
      const pg = await spread(nodes, connections, options.sustainedSeconds);
      console.log(resultRow(`SQLite, ${options.sustainedSeconds} s`, connections, sqlite));
      console.log(resultRow(`PostgreSQL, ${options.sustainedSeconds} s`, connections, pg));
      console.log(shareRow(connections, sqlite, pg));
    }
  } finally {
    for (const server of running) await server.stop();
    await postgres.found.stop();
    await rm(directory, { recursive: true, force: true });
  }
}

/** PostgreSQL's throughput as a share of SQLite's, against issue 12's aim. */
function shareRow(connections: number, sqlite: LoadResult, pg: LoadResult): string {
  const share = (100 * pg.requestsPerSecond) / sqlite.requestsPerSecond;
  return `${'  PostgreSQL / SQLite'.padEnd(28)}${String(connections).padStart(5)}${`${share.toFixed(0)}%`.padStart(10)}  (aim ≥ 60%)`;
}

async function startEmbedded(options: PostgresPairOptions, directory: string, running: RunningProcess[]): Promise<Target> {
  const dataDir = join(directory, 'data');
  const server = await startProcess(options.cli, [
    'serve', '--port', '0', '--data-dir', dataDir, '--workers', String(options.workers), '--quotas', 'off',
  ]);
  running.push(server);
  const credentials = await readCredentials(join(dataDir, 'credentials'));
  const keyId = await createKey(server.url, credentials);
  // Two generators against the one endpoint, as the PostgreSQL pair has one per node.
  const request = kmsRequest(server.url, credentials, 'Encrypt', { KeyId: keyId, Plaintext: PLAINTEXT });
  // The embedded node indexes its audit journal when the load stops; a LookupEvents call makes it do so at once,
  // so that this work does not fall into the next run's measurement.
  const afterLoad = async () => {
    await indexingCatchUp(server.url, credentials);
  };
  return { requests: [{ url: server.url, request }, { url: server.url, request }], afterLoad };
}

async function startPostgresNodes(
  options: PostgresPairOptions,
  postgres: TestPostgres,
  directory: string,
  running: RunningProcess[],
): Promise<Target> {
  const databaseUrl = await createTestDatabase(postgres, 'bench');
  const rootKeyFile = join(directory, 'root.key');
  const credentialsFile = join(directory, 'pg-credentials');
  // What init prints (the administrator's secret among it) is not shown: the nodes read the credentials file.
  await run(process.execPath, [options.cli, 'init', '--database-url', databaseUrl, '--root-key-file', rootKeyFile, '--credentials-file', credentialsFile]);
  const workers = String(Math.max(1, Math.floor(options.workers / 2)));
  const nodes = await Promise.all([1, 2].map(() => startProcess(options.cli, [
    'serve', '--port', '0', '--database-url', databaseUrl, '--root-key-file', rootKeyFile, '--workers', workers, '--quotas', 'off',
  ])));
  running.push(...nodes);
  const credentials = await readCredentials(credentialsFile);
  const keyId = await createKey(nodes[0]!.url, credentials);
  return {
    requests: nodes.map((node) => ({ url: node.url, request: kmsRequest(node.url, credentials, 'Encrypt', { KeyId: keyId, Plaintext: PLAINTEXT }) })),
  };
}

/** Runs one load generator per request of `target` at once, `connections` split between them; sums their results. */
async function spread(target: Target, connections: number, durationSeconds: number): Promise<LoadResult> {
  const share = Math.max(1, Math.round(connections / target.requests.length));
  const results = await Promise.all(target.requests.map(async ({ url, request }) => {
    const spec: LoadSpec = { url, connections: share, durationSeconds, ...request };
    return generateLoad(spec);
  }));
  await target.afterLoad?.();
  return {
    requestsPerSecond: results.reduce((sum, result) => sum + result.requestsPerSecond, 0),
    requests: results.reduce((sum, result) => sum + result.requests, 0),
    // The generators ran side by side for the same time: their median and tail, not a merged histogram.
    p50Ms: Math.max(...results.map((result) => result.p50Ms)),
    p99Ms: Math.max(...results.map((result) => result.p99Ms)),
    maxMs: Math.max(...results.map((result) => result.maxMs)),
    non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
  };
}

/** Two runs of one mode: throughput and percentiles averaged, the worst maximum, every failure. */
function mean(first: LoadResult, second: LoadResult): LoadResult {
  const average = (pick: (result: LoadResult) => number) => (pick(first) + pick(second)) / 2;
  return {
    requestsPerSecond: average((result) => result.requestsPerSecond),
    requests: first.requests + second.requests,
    p50Ms: average((result) => result.p50Ms),
    p99Ms: average((result) => result.p99Ms),
    maxMs: Math.max(first.maxMs, second.maxMs),
    non2xx: first.non2xx + second.non2xx,
    errors: first.errors + second.errors,
  };
}
