import type { RequestObserver, RequestOutcome } from '../api/outcome.js';
import { CounterFamily, HistogramFamily, type CounterSeries, type HistogramSeries, type MetricFamily } from './metric-family.js';

/** From half a millisecond (a cached Encrypt) to five seconds (an external key store at its timeout). */
const DURATION_BUCKETS_SECONDS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Most distinct operation names per service, and outcomes per operation, that become label values. Far more than
 * exist (KMS has 54 operations); a bound all the same, since every name reached here came from a request.
 */
const MAX_LABEL_VALUES = 200;

/** The operation label of a request whose operation name is not one of the admitted (see `RequestMetrics`). */
const UNKNOWN_OPERATION = 'unknown';
/** The outcome label beyond `MAX_LABEL_VALUES` outcomes of one operation. */
const OTHER_OUTCOME = 'other';

/**
 * Request metrics, recorded for every answered request through `App`'s one observer (`RequestObserver`):
 * - `strongroom_requests_total{service, operation, outcome}`: `outcome` is `success` or the AWS error code
 *   (`AccessDeniedException`, `ThrottlingException`, ...), a set the code defines;
 * - `strongroom_request_duration_seconds{service, operation}`: from arrival to answer, the audit write included;
 * - `strongroom_requests_throttled_total` and `strongroom_requests_denied_total{service, operation}`.
 *
 * Labels are bounded: `service` comes from the code; an `operation` name comes from the request (an
 * `X-Amz-Target`, an `Action=`), so it becomes a label value only once an authenticated request has named it (the
 * endpoints refuse unknown operations before authenticating), and at most `MAX_LABEL_VALUES` per service; any other
 * name is `unknown`. No key id, principal, account or anything else of the request is a label.
 *
 * The hot path finds its series through three Map lookups and adds numbers: no label object, no allocation.
 *
 * @example
 *   const requests = new RequestMetrics();
 *   new App({ ..., observer: requests });
 */
export class RequestMetrics implements RequestObserver {
  readonly #families: RequestFamilies = {
    requests: new CounterFamily('strongroom_requests_total', 'Requests answered, by service, operation and outcome (success or the AWS error code).', ['service', 'operation', 'outcome']),
    duration: new HistogramFamily('strongroom_request_duration_seconds', 'Time from arrival to answer, audit write included.', ['service', 'operation'], DURATION_BUCKETS_SECONDS),
    throttled: new CounterFamily('strongroom_requests_throttled_total', 'Requests refused with ThrottlingException (request quotas).', ['service', 'operation']),
    denied: new CounterFamily('strongroom_requests_denied_total', 'Requests refused with AccessDeniedException.', ['service', 'operation']),
  };
  readonly #services = new Map<string, ServiceSeries>();

  observe(outcome: RequestOutcome, seconds: number): void {
    let service = this.#services.get(outcome.service);
    if (service === undefined) {
      service = new ServiceSeries(outcome.service, this.#families);
      this.#services.set(outcome.service, service);
    }
    const operation = service.operation(outcome.operation, outcome.caller !== undefined);
    operation.duration.observe(seconds);
    const errorType = outcome.error?.type;
    operation.outcome(errorType ?? 'success').inc();
    if (errorType === 'ThrottlingException') operation.throttled().inc();
    else if (errorType === 'AccessDeniedException') operation.denied().inc();
  }

  snapshot(): MetricFamily[] {
    const { requests, duration, throttled, denied } = this.#families;
    return [requests.snapshot(), duration.snapshot(), throttled.snapshot(), denied.snapshot()];
  }
}

interface RequestFamilies {
  readonly requests: CounterFamily<'service' | 'operation' | 'outcome'>;
  readonly duration: HistogramFamily<'service' | 'operation'>;
  readonly throttled: CounterFamily<'service' | 'operation'>;
  readonly denied: CounterFamily<'service' | 'operation'>;
}

/** One service's operations: the admitted names, each with its series, and `unknown` for the rest. */
class ServiceSeries {
  readonly #operations = new Map<string, OperationSeries>();
  #unknown: OperationSeries | undefined;

  constructor(
    readonly name: string,
    readonly families: RequestFamilies,
  ) {}

  operation(name: string, authenticated: boolean): OperationSeries {
    const known = this.#operations.get(name);
    if (known !== undefined) return known;
    if (authenticated && name !== UNKNOWN_OPERATION && this.#operations.size < MAX_LABEL_VALUES) {
      const admitted = new OperationSeries(this.families, { service: this.name, operation: name });
      this.#operations.set(name, admitted);
      return admitted;
    }
    return (this.#unknown ??= new OperationSeries(this.families, { service: this.name, operation: UNKNOWN_OPERATION }));
  }
}

/** The series of one service and operation, each made at first use. */
class OperationSeries {
  readonly duration: HistogramSeries;
  readonly #outcomes = new Map<string, CounterSeries>();
  #throttled: CounterSeries | undefined;
  #denied: CounterSeries | undefined;

  constructor(
    readonly families: RequestFamilies,
    readonly labels: { readonly service: string; readonly operation: string },
  ) {
    this.duration = families.duration.series(labels);
  }

  outcome(name: string): CounterSeries {
    const found = this.#outcomes.get(name);
    if (found !== undefined) return found;
    if (this.#outcomes.size >= MAX_LABEL_VALUES) return this.families.requests.series({ ...this.labels, outcome: OTHER_OUTCOME });
    const series = this.families.requests.series({ ...this.labels, outcome: name });
    this.#outcomes.set(name, series);
    return series;
  }

  throttled(): CounterSeries {
    return (this.#throttled ??= this.families.throttled.series(this.labels));
  }

  denied(): CounterSeries {
    return (this.#denied ??= this.families.denied.series(this.labels));
  }
}
