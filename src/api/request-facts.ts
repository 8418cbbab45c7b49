import type { Caller } from '../auth/caller.js';
import type { RequestOutcome } from './outcome.js';
import { headerValue, type TlsFacts, type WireRequest } from './http/wire-request.js';

/**
 * What is known about one request, as one immutable record. Each stage that learns something (routing, the
 * endpoint's authentication, the pipeline's validation and key resolution) hands on a new record with it
 * added — `{ ...facts, caller }` — never changing the one it was given. The last record becomes the request's
 * outcome (`outcomeOf`), whether the request was answered or failed: a stage that fails throws
 * `RequestFailure` with the facts it had learned, so a refusal is recorded with its caller and its keys.
 *
 * `input` may hold secrets (plaintext): only the outcome's sink, which redacts, may read it.
 */
export interface RequestFacts {
  readonly requestId: string;
  readonly startedAt: number;
  readonly sourceIp: string;
  readonly userAgent?: string;
  /** Present when the request came over TLS (it is then `aws:SecureTransport`). */
  readonly tls?: TlsFacts;
  /** `kms`, `sts`, `iam`, `cloudtrail` or `strongroom` (the admin API); `unknown` until routed. */
  readonly service: string;
  readonly operation: string;
  readonly readOnly: boolean;
  readonly caller?: Caller;
  readonly region?: string;
  /** The validated input (wire vocabulary). */
  readonly input?: unknown;
  /** ARNs of the keys the request touched. */
  readonly resources: readonly string[];
}

/** The facts once the endpoint has authenticated the caller: what every operation may rely on. */
export type AuthenticatedFacts = RequestFacts & { readonly caller: Caller; readonly region: string };

/** An answered request: its response, its final facts, and its output as the outcome records it. */
export interface Answer<Response> {
  readonly response: Response;
  readonly facts: RequestFacts;
  /** The output for the outcome's sink (which redacts); the admin API passes one without secrets. */
  readonly output: unknown;
}

/** A failure, with the facts learned before it: thrown by a stage so that the outcome records them. */
export class RequestFailure extends Error {
  override readonly cause: unknown;
  readonly facts: RequestFacts;

  constructor(cause: unknown, facts: RequestFacts) {
    super('request failed');
    this.name = 'RequestFailure';
    this.cause = cause;
    this.facts = facts;
  }
}

/**
 * Runs one stage of a request: what it throws leaves as a `RequestFailure` with `facts`, the facts known when
 * the stage began. A failure from an inner stage keeps the inner stage's facts, which know more.
 */
export async function failingWith<T>(facts: RequestFacts, stage: () => T | Promise<T>): Promise<T> {
  try {
    return await stage();
  } catch (error) {
    throw error instanceof RequestFailure ? error : new RequestFailure(error, facts);
  }
}

/** The facts of a request before anything about it is known but what the transport saw. */
export function openingFacts(request: WireRequest, requestId: string, startedAt: number): RequestFacts {
  const userAgent = headerValue(request, 'user-agent');
  return Object.freeze({
    requestId,
    startedAt,
    sourceIp: request.sourceIp,
    resources: [],
    service: 'unknown',
    operation: 'unknown',
    readOnly: false,
    ...(userAgent !== undefined ? { userAgent } : {}),
    ...(request.tls ? { tls: request.tls } : {}),
  });
}

/** The request's outcome: its facts with its output, or with its error. */
export function outcomeOf(
  facts: RequestFacts,
  result: { readonly output: unknown } | { readonly error: { type: string; message: string; status: number } },
): RequestOutcome {
  const { userAgent, tls, caller, region, input } = facts;
  return {
    requestId: facts.requestId,
    service: facts.service,
    operation: facts.operation,
    readOnly: facts.readOnly,
    sourceIp: facts.sourceIp,
    startedAt: facts.startedAt,
    resources: facts.resources,
    ...(userAgent !== undefined ? { userAgent } : {}),
    ...(tls ? { tls } : {}),
    ...(caller ? { caller } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(input !== undefined ? { input } : {}),
    ...('error' in result ? { error: result.error } : { output: result.output }),
  };
}
