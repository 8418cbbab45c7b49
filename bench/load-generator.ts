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
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The slowest request: where a stall of the server's event loop shows. */
  readonly maxMs: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    pipelining: 1,
    method: 'POST',
    headers: spec.headers,
    body: spec.body,
  });
  const output: LoadResult = {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

await main();
