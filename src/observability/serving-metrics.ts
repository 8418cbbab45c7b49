import cluster from 'node:cluster';
import { primaryScrape, singleProcessScrape, workerScrape, type NodeScrape } from './cluster-metrics.js';
import type { Logger } from './logger.js';
import { ProcessMetrics } from './process-metrics.js';

/** What a process of `strongroom serve` records its metrics into, and how it answers `/metrics` for the node. */
export interface ServingMetrics {
  readonly metrics?: ProcessMetrics;
  readonly scrape?: NodeScrape;
}

/**
 * This process's metrics (none with `--no-metrics`), and its `/metrics` by the part it plays: serving alone, the
 * primary of workers (gathering theirs), or a worker (asking the primary) — cluster-metrics.ts.
 *
 * @example
 *   const { metrics, scrape } = servingMetrics(config, log);
 *   const node = await openNode({ ..., metrics, operationalEndpoints: { metrics: scrape.scrape } });
 */
export function servingMetrics(config: { readonly metrics: boolean; readonly workers: number }, log: Logger): ServingMetrics {
  if (!config.metrics) return {};
  const metrics = new ProcessMetrics({ log });
  const scrape = cluster.isWorker ? workerScrape(metrics) : config.workers === 1 ? singleProcessScrape(metrics) : primaryScrape(metrics, log);
  return { metrics, scrape };
}

/**
 * For the primary's `/readyz` (with `--metrics-port`): a check that passes while at least `expected` workers have
 * said they listen (their `listening` message) and not exited since — a worker that died is not ready again until
 * its replacement listens. Call it before the workers open, so that no `listening` message is missed.
 *
 * @example
 *   const checks = { ...node.readiness, workers: workersListening(config.workers) };
 */
export function workersListening(expected: number): () => boolean {
  const listening = new Set<number>();
  cluster.on('message', (worker, message: { type?: unknown } | null) => {
    if (message?.type === 'listening') listening.add(worker.id);
  });
  cluster.on('exit', (worker) => listening.delete(worker.id));
  return () => listening.size >= expected;
}
