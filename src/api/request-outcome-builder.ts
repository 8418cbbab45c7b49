import type { Caller } from '../auth/caller.js';
import type { RequestOutcome } from './outcome.js';
import type { TlsFacts, WireRequest } from './http/wire-request.js';
import { headerValue } from './http/wire-request.js';

/** The outcome of a request while it is being handled: each stage fills in what it learns. */
export interface OutcomeDraft {
  readonly requestId: string;
  readonly startedAt: number;
  readonly sourceIp: string;
  readonly userAgent?: string;
  readonly tls?: TlsFacts;
  readonly resources: string[];
  service: string;
  operation: string;
  readOnly: boolean;
  caller?: Caller;
  region?: string;
  input?: unknown;
  output?: unknown;
}

export function startOutcome(request: WireRequest, requestId: string, startedAt: number): OutcomeDraft {
  const userAgent = headerValue(request, 'user-agent');
  return {
    requestId,
    startedAt,
    sourceIp: request.sourceIp,
    resources: [],
    service: 'unknown',
    operation: 'unknown',
    readOnly: false,
    ...(userAgent !== undefined ? { userAgent } : {}),
    ...(request.tls ? { tls: request.tls } : {}),
  };
}

export function finishOutcome(
  draft: OutcomeDraft,
  error?: { type: string; message: string; status: number },
): RequestOutcome {
  return {
    requestId: draft.requestId,
    service: draft.service,
    operation: draft.operation,
    readOnly: draft.readOnly,
    sourceIp: draft.sourceIp,
    startedAt: draft.startedAt,
    resources: draft.resources,
    ...(draft.userAgent !== undefined ? { userAgent: draft.userAgent } : {}),
    ...(draft.tls ? { tls: draft.tls } : {}),
    ...(draft.caller ? { caller: draft.caller } : {}),
    ...(draft.region !== undefined ? { region: draft.region } : {}),
    ...(draft.input !== undefined ? { input: draft.input } : {}),
    ...(error ? { error } : { output: draft.output }),
  };
}
