import type { WireRequest, WireResponse } from './http/wire-request.js';

/**
 * Readiness checks by name: each says whether the part it probes can do its job now. A check that throws, rejects
 * or takes longer than `CHECK_TIMEOUT_MS` fails. Names are all a caller sees of them: no reason, path or key id.
 */
export type ReadinessChecks = Readonly<Record<string, () => boolean | Promise<boolean>>>;

/** A probe waits no longer than this for a check (a store that hangs is not ready). */
const CHECK_TIMEOUT_MS = 2000;

const HEALTH_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/** Whether the request is for `/healthz` or `/readyz` (answered without authentication, and never audited). */
export function isHealthRequest(request: WireRequest): boolean {
  return HEALTH_PATHS.has(request.path);
}

/**
 * The operational endpoints, for load balancers and orchestrators:
 * - `GET /healthz`: 200 `{"status":"ok"}` while the process serves;
 * - `GET /readyz`: 200 when every check passes, else 503; either way `{"status", "checks": {name: "ok"|"failed"}}`.
 * Other methods get 405. Nothing here is authenticated or audited: probes every few seconds must not fill the
 * trail, and nothing in these answers is secret.
 *
 * @example
 *   if (isHealthRequest(request)) return answerHealthRequest(request, { store: async () => ... });
 */
export async function answerHealthRequest(request: WireRequest, checks: ReadinessChecks): Promise<WireResponse> {
  if (request.method !== 'GET') {
    return healthResponse(405, { status: 'method not allowed' }, { allow: 'GET' });
  }
  if (request.path === '/healthz') return healthResponse(200, { status: 'ok' });
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

function healthResponse(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}
