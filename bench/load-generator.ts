/**
 * The load generator: a separate process (so it never shares an event loop with what it measures) that
 * drives one endpoint with keep-alive connections replaying a fixed, already-signed request, and prints
 * one JSON line of results. Usage: node dist/bench/load-generator.js '<LoadSpec JSON>'
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /**
   * When given, each request sent is one of these, drawn at random (e.g. Encrypt under 1,000 keys of a large
   * store), instead of `headers` and `body`.
   */
  readonly variants?: ReadonlyArray<{ readonly headers: Record<string, string>; readonly body: string }>;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  /** Requests answered in the run (for per-request figures such as CPU time). */
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The slowest request: where a stall of the server's event loop shows. */
  readonly maxMs: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  const variants = spec.variants;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    pipelining: 1,
    method: 'POST',
    headers: spec.headers,
    body: spec.body,
    ...(variants === undefined ? {} : { requests: [{ setupRequest: (request) => ({ ...request, ...randomVariant(variants) }) }] }),
  });
  const output: LoadResult = {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

function randomVariant<T>(variants: readonly T[]): T {
  return variants[Math.floor(Math.random() * variants.length)]!;
}

await main();
