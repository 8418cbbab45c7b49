import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logger.js';
import type { MetricFamily } from './metric-family.js';
import type { ProcessMetrics } from './process-metrics.js';
import { prometheusText } from './prometheus-text.js';

/**
 * `/metrics` for a node's processes. With `--workers N` the primary serves no request and connections go to the
 * workers in turn, so whichever worker a scrape reaches must answer for the whole node. Over node:cluster's IPC
 * channel (beside the quota leases and the start-up messages, each kind with a `type` of its own):
 *
 *   worker ──metrics-scrape {id}──▶ primary ──metrics-collect {id}──▶ every worker
 *   worker ◀─metrics-text {id, text}── primary ◀─metrics-snapshot {id, families}── every worker
 *
 * The primary adds its own families (background jobs, keys by state) and renders the sum (prometheus-text.ts).
 * Bounded: the primary waits for the workers at most `WORKER_ANSWER_MS`, and renders what it has (a worker that did
 * not answer is counted in `strongroom_metrics_processes_unanswered`); the asking worker waits for the primary at
 * most `PRIMARY_ANSWER_MS`, then the scrape fails (503) rather than hangs.
 */
type MetricsMessage =
  | { readonly type: 'metrics-scrape'; readonly id: number }
  | { readonly type: 'metrics-text'; readonly id: number; readonly text?: string }
  | { readonly type: 'metrics-collect'; readonly id: number }
  | { readonly type: 'metrics-snapshot'; readonly id: number; readonly families: readonly MetricFamily[] };

/** How long the primary waits for the workers' families (a worker busy for longer is left out of this scrape). */
export const WORKER_ANSWER_MS = 2000;
/** How long a worker waits for the node's text: the primary's wait for the others, and time to render. */
export const PRIMARY_ANSWER_MS = WORKER_ANSWER_MS + 2000;

/** A node's `/metrics`, and how to stop answering for it. */
export interface NodeScrape {
  /** The node's metrics as Prometheus text; rejects when they cannot be had in time. */
  scrape(): Promise<string>;
  stop(): void;
}

function isMetricsMessage<T extends MetricsMessage['type']>(message: unknown, type: T): message is Extract<MetricsMessage, { type: T }> {
  const candidate = message as { type?: unknown; id?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null && candidate.type === type && Number.isSafeInteger(candidate.id);
}

/**
 * The scrape of a process that serves alone (`--workers 1`): its own families.
 *
 * @example
 *   new App({ ..., operational: { readiness, metrics: singleProcessScrape(metrics).scrape } });
 */
export function singleProcessScrape(metrics: ProcessMetrics): NodeScrape {
  return { scrape: async () => prometheusText([await metrics.snapshot()]), stop: () => undefined };
}

/**
 * The primary's side: answers every worker's `metrics-scrape` (workers started later included), and scrapes the
 * node itself (for a `--metrics-port` listener, which lives in the primary).
 */
export function primaryScrape(metrics: ProcessMetrics, log: Pick<Logger, 'warn'>): NodeScrape {
  let nextId = 0;
  const collecting = new Map<number, (worker: Worker, families: readonly MetricFamily[]) => void>();

  async function scrape(): Promise<string> {
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker?.isConnected() === true);
    const id = ++nextId;
    const answers = new Map<number, readonly MetricFamily[]>();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, WORKER_ANSWER_MS);
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      collecting.set(id, (worker, families) => {
        answers.set(worker.id, families);
        if (answers.size === workers.length) done();
      });
      if (workers.length === 0) done();
      // A worker that died meanwhile cannot be asked; it counts as unanswered.
      for (const worker of workers) worker.send({ type: 'metrics-collect', id } satisfies MetricsMessage, undefined, () => undefined);
    });
    collecting.delete(id);
    const own = await metrics.snapshot();
    return prometheusText([own, ...answers.values(), [unansweredFamily(workers.length - answers.size)]]);
  }

  const onMessage = (worker: Worker, message: unknown): void => {
    if (isMetricsMessage(message, 'metrics-snapshot')) {
      collecting.get(message.id)?.(worker, Array.isArray(message.families) ? message.families : []);
    } else if (isMetricsMessage(message, 'metrics-scrape')) {
      const reply = (text?: string) => {
        if (worker.isConnected()) worker.send({ type: 'metrics-text', id: message.id, ...(text !== undefined ? { text } : {}) } satisfies MetricsMessage, undefined, () => undefined);
      };
      scrape().then(reply, (error: unknown) => {
        log.warn('metrics-scrape-failed', { error: error instanceof Error ? error.message : String(error) });
        reply();
      });
    }
  };
  cluster.on('message', onMessage);
  return { scrape, stop: () => cluster.off('message', onMessage) };
}

/**
 * A worker's side: answers the primary's `metrics-collect` with this process's families, and scrapes the node by
 * asking the primary.
 */
export function workerScrape(metrics: ProcessMetrics): NodeScrape {
  let nextId = 0;
  const waiting = new Map<number, (text: string | undefined) => void>();

  const onMessage = (message: unknown): void => {
    if (isMetricsMessage(message, 'metrics-collect')) {
      metrics.snapshot().then(
        (families) => process.send?.({ type: 'metrics-snapshot', id: message.id, families } satisfies MetricsMessage, undefined, {}, () => undefined),
        () => undefined, // unanswered: the primary counts it
      );
    } else if (isMetricsMessage(message, 'metrics-text')) {
      waiting.get(message.id)?.(typeof message.text === 'string' ? message.text : undefined);
    }
  };
  process.on('message', onMessage);

  function scrape(): Promise<string> {
    const id = ++nextId;
    return new Promise<string>((resolve, reject) => {
      const finish = (text: string | undefined) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (text === undefined) reject(new Error('the primary process did not answer with the node\'s metrics'));
        else resolve(text);
      };
      const timer = setTimeout(() => finish(undefined), PRIMARY_ANSWER_MS);
      timer.unref();
      waiting.set(id, finish);
      process.send?.({ type: 'metrics-scrape', id } satisfies MetricsMessage, undefined, {}, (error: Error | null) => {
        if (error) finish(undefined);
      });
    });
  }

  return { scrape, stop: () => process.off('message', onMessage) };
}

/** How many of the node's processes this scrape is missing. */
function unansweredFamily(unanswered: number): MetricFamily {
  return {
    name: 'strongroom_metrics_processes_unanswered',
    help: 'Worker processes whose metrics this scrape is missing (they did not answer in time).',
    type: 'gauge',
    aggregator: 'sum',
    values: [{ labels: {}, value: unanswered }],
  };
}
