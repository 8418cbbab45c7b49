import type { Caller } from '../auth/caller.js';
import type { TlsFacts } from './http/wire-request.js';

/**
 * What happened to one request: built by the pipeline in exactly one place for every request (allowed,
 * denied, failed, unauthenticated) and handed to the outcome sink before the response is sent — the audit
 * trail is such a sink. `input` and `output` are the validated wire values and may hold secrets (plaintext,
 * data keys): a sink must redact them (see `audit/`) and must never log them.
 */
export interface RequestOutcome {
  readonly requestId: string;
  /** `kms`, `sts`, `iam` or `cloudtrail`. */
  readonly service: string;
  readonly operation: string;
  readonly readOnly: boolean;
  readonly caller?: Caller;
  readonly region?: string;
  readonly sourceIp: string;
  readonly userAgent?: string;
  /** Present when the request came over TLS. */
  readonly tls?: TlsFacts;
  readonly startedAt: number;
  readonly input?: unknown;
  readonly output?: unknown;
  /** ARNs of the keys the request touched. */
  readonly resources: readonly string[];
  readonly error?: { readonly type: string; readonly message: string; readonly status: number };
}

export interface OutcomeSink {
  /** Resolves when the outcome is durable; a rejection turns the response into an internal error. */
  record(outcome: RequestOutcome): Promise<void>;
}

export const discardOutcomes: OutcomeSink = { record: () => Promise.resolve() };

/**
 * Told of every request the API answered (not the probes), once its outcome is recorded: for `/metrics`. `seconds`
 * is the time from the request's arrival at `App.handle` to its answer, on a monotonic clock (the outcome's
 * `startedAt` is wall-clock milliseconds, too coarse for requests that take a fraction of one). An outcome that
 * could not be recorded is observed as the internal error it was answered with. Called on the hot path: it must
 * be cheap, never throw, and never keep `input` or `output`.
 */
export interface RequestObserver {
  observe(outcome: RequestOutcome, seconds: number): void;
}
