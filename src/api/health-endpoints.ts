import type { WireRequest, WireResponse } from './http/wire-request.js';
import { PROMETHEUS_CONTENT_TYPE } from '../observability/prometheus-text.js';

/**
 * Readiness checks by name: each says whether the part it probes can do its job now. A check that throws, rejects
 * or takes longer than `CHECK_TIMEOUT_MS` fails. Names are all a caller sees of them: no reason, path or key id.
 */
export type ReadinessChecks = Readonly<Record<string, () => boolean | Promise<boolean>>>;

/** A probe waits no longer than this for a check (a store that hangs is not ready). */
const CHECK_TIMEOUT_MS = 2000;

/** The operational endpoints of a listener: what `/readyz` checks, and where `/metrics` comes from. */
export interface OperationalEndpoints {
  readonly readiness: ReadinessChecks;
  /** The node's metrics as Prometheus text (docs/observability.md); absent: `/metrics` is an unknown path. */
  readonly metrics?: () => Promise<string>;
}

/**
 * Whether the request is for `/healthz`, `/readyz`, or `/metrics` when `endpoints` has metrics: answered without
 * authentication, and never audited.
 */
export function isOperationalRequest(request: WireRequest, endpoints: OperationalEndpoints): boolean {
  return request.path === '/healthz' || request.path === '/readyz' || (request.path === '/metrics' && endpoints.metrics !== undefined);
}

/**
 * The operational endpoints, for load balancers, orchestrators and Prometheus:
 * - `GET /healthz`: 200 `{"status":"ok"}` while the process serves;
 * - `GET /readyz`: 200 when every check passes, else 503; either way `{"status", "checks": {name: "ok"|"failed"}}`;
 * - `GET /metrics`: 200 with the node's metrics in Prometheus's text format; 503 when they cannot be had in time.
 * Other methods get 405. Nothing here is authenticated or audited: probes and scrapes every few seconds must not
 * fill the trail, and nothing in these answers is secret (no key id, credential, account or path is in a label).
 *
 * @example
 *   if (isOperationalRequest(request, endpoints)) return answerOperationalRequest(request, endpoints);
 */
export async function answerOperationalRequest(request: WireRequest, endpoints: OperationalEndpoints): Promise<WireResponse> {
  if (request.method !== 'GET') {
    return healthResponse(405, { status: 'method not allowed' }, { allow: 'GET' });
  }
  if (request.path === '/healthz') return healthResponse(200, { status: 'ok' });
  if (request.path === '/metrics' && endpoints.metrics) return metricsResponse(endpoints.metrics);
  const checks = endpoints.readiness;
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => passesWithin(checks[name]!, CHECK_TIMEOUT_MS)));
  const ready = results.every(Boolean);
  const report = Object.fromEntries(names.map((name, index) => [name, results[index] === true ? 'ok' : 'failed']));
  return healthResponse(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: report });
}

/** Whether a check passes within `timeoutMs`: throwing, answering false or taking longer all fail it. */
export async function passesWithin(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  try {
    return (await Promise.race([Promise.resolve().then(check), timedOut])) === true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

async function metricsResponse(metrics: () => Promise<string>): Promise<WireResponse> {
  try {
    return { status: 200, headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' }, body: await metrics() };
  } catch {
    // Why is the primary's business (a worker gone, a timeout); the scraper only needs to know this scrape failed.
    return { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body: 'metrics unavailable\n' };
  }
}

function healthResponse(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}
