import type { Counter, Registry } from 'prom-client';
import type { MetricFamily } from './metric-family.js';

/** The content type of Prometheus's text exposition format, version 0.0.4 (prom-client's `Registry.PROMETHEUS_CONTENT_TYPE`). */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** This process's registry of prom-client's default metrics, made at the first scrape (see `processRuntimeMetrics`). */
let runtimeRegistry: Promise<Registry> | undefined;

/**
 * prom-client's default metrics of this process (`collectDefaultMetrics`: CPU, memory, file descriptors, event-loop
 * delay, garbage collection, Node's version), as metric families. prom-client is loaded at the first scrape, not at
 * start-up: loading it takes about 30 ms, which every serving process would otherwise add to its cold start. So
 * the event-loop and garbage-collection figures cover the time since the first scrape; CPU and memory are the
 * process's own totals whenever they are read.
 */
export async function processRuntimeMetrics(): Promise<MetricFamily[]> {
  runtimeRegistry ??= promClient().then(({ Registry, collectDefaultMetrics }) => {
    const registry = new Registry();
    const before = process.cpuUsage();
    collectDefaultMetrics({ register: registry });
    // prom-client counts CPU time from its registration on; what the process spent before is added once, so that
    // the counters are the process's totals.
    const add = (name: string, micros: number) => (registry.getSingleMetric(name) as Counter | undefined)?.inc(micros / 1e6);
    add('process_cpu_user_seconds_total', before.user);
    add('process_cpu_system_seconds_total', before.system);
    add('process_cpu_seconds_total', before.user + before.system);
    return registry;
  });
  // prom-client's declared types say `type` is an enum; at run time it is the text (`counter`), as MetricFamily says.
  return (await (await runtimeRegistry).getMetricsAsJSON()) as unknown as MetricFamily[];
}

/**
 * The Prometheus text of one process's families, or of a node's several processes together: prom-client's
 * `AggregatorRegistry.aggregate` combines the families of the same name by their aggregator (counters and
 * histograms add up) and renders the result.
 *
 * @example
 *   const text = await prometheusText([await metrics.snapshot()]);
 */
export async function prometheusText(processes: readonly (readonly MetricFamily[])[]): Promise<string> {
  const { AggregatorRegistry } = await promClient();
  // A family no sum makes sense of across processes (the process start time) is omitted from a node's several;
  // a single process keeps it.
  const families = processes.length === 1
    ? [processes[0]!.map((family) => ((family.aggregator as string) === 'omit' ? { ...family, aggregator: 'first' as const } : family))]
    : processes.map((families) => [...families]);
  return AggregatorRegistry.aggregate(families).metrics();
}

/**
 * prom-client, loaded when first needed. It is a CommonJS module: its exports are the namespace's `default`, under
 * Node as in the bundle (where a CommonJS module imported with `import()` has no named exports).
 */
async function promClient(): Promise<typeof import('prom-client')> {
  return (await import('prom-client')).default;
}
