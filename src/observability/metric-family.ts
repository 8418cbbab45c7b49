/**
 * One metric family of one process, in the shape prom-client's `Registry.getMetricsAsJSON()` gives and
 * `AggregatorRegistry.aggregate` takes: what a process hands over (to its primary, over the cluster's IPC channel)
 * to be rendered as Prometheus text, alone or combined with the other processes' (prometheus-text.ts).
 */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** How the family of several processes combines into the node's: counts add up; a node-wide gauge takes the maximum. */
  readonly aggregator: 'sum' | 'max' | 'first';
  readonly values: readonly MetricSample[];
}

export interface MetricSample {
  readonly value: number;
  readonly labels: Readonly<Record<string, string>>;
  /** A histogram's samples are named `<name>_bucket` (with an `le` label), `<name>_sum` and `<name>_count`. */
  readonly metricName?: string;
}

/** One counter of a `CounterFamily`: its label values are fixed; the hot path adds to `value`. */
export class CounterSeries {
  value = 0;

  constructor(readonly labels: Readonly<Record<string, string>>) {}

  inc(by = 1): void {
    this.value += by;
  }
}

/**
 * Counters by label values, kept as plain numbers: a caller finds its series once (`series`), keeps it, and each
 * increment is then one addition. prom-client's own counters hash and validate their label object on every
 * increment (about a microsecond with a histogram beside it); this family costs nanoseconds, and prom-client
 * only renders it at scrape time.
 *
 * @example
 *   const runs = new CounterFamily('strongroom_background_job_runs_total', 'Background job runs.', ['job', 'outcome']);
 *   runs.series({ job: 'audit-retention', outcome: 'success' }).inc();
 */
export class CounterFamily<L extends string> {
  readonly #series = new Map<string, CounterSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
  ) {}

  /** The series of these label values, made at first use. Callers on a hot path keep it rather than ask again. */
  series(labels: Readonly<Record<L, string>>): CounterSeries {
    return seriesOf(this.#series, this.labelNames, labels, (copy) => new CounterSeries(copy));
  }

  snapshot(): MetricFamily {
    const values = [...this.#series.values()].map((series) => ({ value: series.value, labels: series.labels }));
    return { name: this.name, help: this.help, type: 'counter', aggregator: 'sum', values };
  }
}

/** One histogram of a `HistogramFamily`: counts per bucket (not cumulative; the last is `+Inf`), sum and count. */
export class HistogramSeries {
  readonly #bounds: readonly number[];
  readonly buckets: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    bounds: readonly number[],
  ) {
    this.#bounds = bounds;
    this.buckets = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    const bounds = this.#bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]!) bucket++;
    this.buckets[bucket]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

/**
 * Histograms by label values, kept as plain numbers like `CounterFamily`'s counters, with Prometheus's bucket
 * semantics (a bucket counts observations at or below its upper bound `le`).
 *
 * @example
 *   const batches = new HistogramFamily('strongroom_audit_batch_records', 'Records per batch.', [], [1, 10, 100]);
 *   batches.series({}).observe(37);
 */
export class HistogramFamily<L extends string> {
  readonly #series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    readonly bounds: readonly number[],
  ) {}

  series(labels: Readonly<Record<L, string>>): HistogramSeries {
    return seriesOf(this.#series, this.labelNames, labels, (copy) => new HistogramSeries(copy, this.bounds));
  }

  snapshot(): MetricFamily {
    const values: MetricSample[] = [];
    for (const series of this.#series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += series.buckets[index]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...series.labels, le: String(bound) }, value: cumulative });
      });
      values.push(
        { metricName: `${this.name}_bucket`, labels: { ...series.labels, le: '+Inf' }, value: series.count },
        { metricName: `${this.name}_sum`, labels: series.labels, value: series.sum },
        { metricName: `${this.name}_count`, labels: series.labels, value: series.count },
      );
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}

/** The series of `labels` in `all` (keyed by the label values in `labelNames` order), made with a copy of them at first use. */
function seriesOf<L extends string, S>(
  all: Map<string, S>,
  labelNames: readonly L[],
  labels: Readonly<Record<L, string>>,
  make: (labels: Readonly<Record<string, string>>) => S,
): S {
  const key = labelNames.map((name) => labels[name]).join('\u0000');
  let series = all.get(key);
  if (series === undefined) {
    series = make({ ...labels });
    all.set(key, series);
  }
  return series;
}
