import assert from 'node:assert/strict';

/** One sample line of Prometheus's text format: `name{label="value",...} value`. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A scrape, parsed: each family's TYPE, and every sample. */
export interface Scrape {
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/g;

/**
 * Parses the text format strictly enough to catch a malformed scrape: every line is a comment (`# HELP`, `# TYPE`),
 * blank, or a sample whose family (the name less `_bucket`, `_sum`, `_count`) was declared with a TYPE before it.
 */
export function parseScrape(text: string): Scrape {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const typed = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (typed) {
      types.set(typed[1]!, typed[2]!);
      continue;
    }
    const match = SAMPLE_LINE.exec(line);
    assert.ok(match, `not a line of the Prometheus text format: ${line}`);
    const [, name, labelText = '', valueText] = match;
    const labels: Record<string, string> = {};
    for (const label of labelText.matchAll(LABEL)) labels[label[1]!] = label[2]!;
    // Prometheus parses special values case-insensitively; prom-client writes NaN as `Nan`.
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    assert.ok(!Number.isNaN(value) || valueText!.toLowerCase() === 'nan', `not a sample value: ${line}`);
    const family = types.has(name!) ? name! : name!.replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(family), `sample of an undeclared family: ${line}`);
    samples.push({ name: name!, labels, value });
  }
  return { types, samples };
}

/** The sum of the samples named `name` whose labels include `labels` (0 when there is none). */
export function total(scrape: Scrape, name: string, labels: Readonly<Record<string, string>> = {}): number {
  return scrape.samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([label, value]) => sample.labels[label] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** GETs `url` on a connection of its own (with workers, successive scrapes reach successive workers). */
export async function fetchFresh(url: string): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(url, { headers: { connection: 'close' } });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/** The families every scrape of a serving node has (docs/observability.md). */
export const NODE_FAMILIES: Readonly<Record<string, string>> = {
  strongroom_requests_total: 'counter',
  strongroom_request_duration_seconds: 'histogram',
  strongroom_requests_throttled_total: 'counter',
  strongroom_requests_denied_total: 'counter',
  strongroom_audit_commit_duration_seconds: 'histogram',
  strongroom_audit_batch_records: 'histogram',
  strongroom_cache_hits_total: 'counter',
  strongroom_cache_misses_total: 'counter',
  strongroom_keys: 'gauge',
  strongroom_background_job_runs_total: 'counter',
  strongroom_background_job_events_total: 'counter',
  strongroom_background_job_last_success_timestamp_seconds: 'gauge',
  process_cpu_seconds_total: 'counter',
  process_resident_memory_bytes: 'gauge',
  nodejs_eventloop_lag_seconds: 'gauge',
  nodejs_heap_size_used_bytes: 'gauge',
};
