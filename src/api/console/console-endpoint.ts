import type { WireRequest, WireResponse } from '../http/wire-request.js';

/** One file of the built console, as served. */
export interface ConsoleAsset {
  readonly contentType: string;
  readonly body: string;
  /** Named by its content's hash (Vite's `assets/`): cacheable for good; anything else is revalidated. */
  readonly immutable: boolean;
}

/** The built console's files by their path under `/console/` (`index.html`, `assets/index-….js`). */
export interface ConsoleAssets {
  /** The file at `path`, or undefined; rejects when the console is not built. */
  get(path: string): Promise<ConsoleAsset | undefined>;
}

const PREFIX = '/console/';

/**
 * What the console may do in a browser: load its own scripts and styles, talk to this origin only, and nothing
 * else — no inline script or style, no other origin, no framing, no plugins (docs/console.md).
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Whether the request is for the console (`/console` or below): static files, unauthenticated, never audited. */
export function isConsoleRequest(request: WireRequest): boolean {
  return request.path === '/console' || request.path.startsWith(PREFIX);
}

/**
 * Serves the console's static files. Nothing here is secret or signed: the page signs its API calls in the browser
 * (SigV4) and sends them to `POST /` like any SDK. `/console` redirects to `/console/`, which is `index.html`.
 *
 * @example
 *   if (isConsoleRequest(request)) return answerConsoleRequest(request, assets);
 */
export async function answerConsoleRequest(request: WireRequest, assets: ConsoleAssets): Promise<WireResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed.', { allow: 'GET, HEAD' });
  if (request.path === '/console') return textResponse(301, 'Moved to /console/.', { location: PREFIX });
  const path = request.path === PREFIX ? 'index.html' : request.path.slice(PREFIX.length);
  let asset: ConsoleAsset | undefined;
  try {
    asset = await assets.get(path);
  } catch {
    return textResponse(404, 'The console is not built: run `npm run build`.');
  }
  if (!asset) return textResponse(404, 'Not found.');
  return {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': asset.contentType,
      'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
    body: request.method === 'HEAD' ? '' : asset.body,
  };
}

function textResponse(status: number, text: string, headers: Readonly<Record<string, string>> = {}): WireResponse {
  return { status, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers }, body: text };
}
