import type { LoadResult } from './load-generator.js';

/**
 * One printed line of a bench table: name, connections, req/s, p50 / p99 / max latency, then `share` (a column of
 * the caller's, e.g. the share of the ceiling) when given, and the failures when there were any.
 *
 * @example
 *   console.log(resultRow('Encrypt (1 KB)', 64, result, '31%'));
 */
export function resultRow(name: string, connections: number, result: LoadResult, share?: string): string {
  const failures = result.non2xx + result.errors;
  return [
    name.padEnd(28),
    String(connections).padStart(5),
    Math.round(result.requestsPerSecond).toLocaleString('en-US').padStart(10),
    result.p50Ms.toFixed(1).padStart(8),
    result.p99Ms.toFixed(1).padStart(8),
    result.maxMs.toFixed(0).padStart(8),
    share === undefined ? '' : share.padStart(11),
    failures ? `  (${failures} failed)` : '',
  ].join('');
}

/** The heading of a table of `resultRow`s: `first` names the rows, `share` the caller's last column, if any. */
export function headerRow(first: string, share?: string): string {
  const columns = [first.padEnd(28), 'conns'.padStart(5), 'req/s'.padStart(10), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'max ms'.padStart(8)];
  return [...columns, share === undefined ? '' : share.padStart(11)].join('');
}
