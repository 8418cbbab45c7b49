import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LoadResult, LoadSpec } from './load-generator.js';

const run = promisify(execFile);

/**
 * Whether wrk (Debian's `wrk`) can be run; when it is missing and this process may install packages (root, with
 * apt-get), it installs it once, as `.ci/run` does for its components. Anything else: the Node generator is used.
 */
export function wrkAvailable(): boolean {
  if (onPath('wrk')) return true;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) return false;
  process.stderr.write('wrk not found: installing Debian\'s wrk for the load generator\n');
  const install = spawnSync('sh', ['-c', 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk'], { stdio: 'ignore' });
  return install.status === 0 && onPath('wrk');
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Drives `spec.url` with wrk: one thread (the cores are shared with the server it measures; wrk in C takes a fraction
 * of what a Node generator takes from them), keep-alive connections replaying the already-signed request (SigV4
 * allows a replay within its 5-minute window; no run is that long). The Lua script's `done` prints the result as one
 * JSON line, so nothing of wrk's human output is parsed.
 */
export async function wrkLoad(spec: LoadSpec): Promise<LoadResult> {
  const directory = await mkdtemp(join(tmpdir(), 'strongroom-wrk-'));
  try {
    const script = join(directory, 'request.lua');
    const variants = spec.variants && join(directory, 'variants.http');
    if (variants) await writeFile(variants, variantsFile(spec.url, spec.variants!));
    await writeFile(script, luaScript(spec, variants));
    const { stdout } = await run('wrk', ['-t1', `-c${spec.connections}`, `-d${spec.durationSeconds}s`, '--timeout', '10s', '-s', script, spec.url], {
      maxBuffer: 1 << 20,
    });
    const line = stdout.split('\n').find((text) => text.startsWith('{"requestsPerSecond"'));
    if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
    return JSON.parse(line) as LoadResult;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * The request as wrk's Lua globals (or, with `variantsPath`, a `request` function drawing one of the requests in
 * that file at random), and a `done` that reports what LoadResult holds (latencies in µs → ms; wrk's
 * `errors.status` counts answers of status 400 and above). No `response` callback: it would make wrk parse bodies.
 */
function luaScript(spec: LoadSpec, variantsPath: string | undefined): string {
  return `wrk.method = "POST"
wrk.body = ${lua(spec.body)}
${headersOf(spec.headers).map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`).join('\n')}
${variantsPath === undefined ? '' : variantsScript(variantsPath)}
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"requestsPerSecond":%.1f,"requests":%d,"p50Ms":%.3f,"p99Ms":%.3f,"maxMs":%.3f,"non2xx":%d,"errors":%d}\\n',
    summary.requests / (summary.duration / 1e6), summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status, errors))
end
`;
}

/**
 * Reads the variants (raw requests, `variantsFile`) in `init` and draws one per request. From a file, not from the
 * script's text: a Lua function holds at most 65,536 constants, and the scale bench replays 100,000 requests. The
 * Lua call per request costs wrk a little, so a bench comparing with one request should use one variant, not none.
 */
function variantsScript(path: string): string {
  return `local variants = {}
init = function(args)
  math.randomseed(os.time())
  local file = assert(io.open(${lua(path)}, "rb"))
  local data = file:read("*a")
  file:close()
  local at = 1
  while at <= #data do
    local newline = string.find(data, "\\n", at, true)
    local length = tonumber(string.sub(data, at, newline - 1))
    variants[#variants + 1] = string.sub(data, newline + 1, newline + length)
    at = newline + length + 1
  end
end
request = function()
  return variants[math.random(#variants)]
end`;
}

/** Each variant as the raw HTTP/1.1 request wrk sends (what `wrk.format` makes), after its length and a newline. */
function variantsFile(url: string, variants: NonNullable<LoadSpec['variants']>): Buffer {
  const host = new URL(url).host;
  return Buffer.concat(variants.map((variant) => {
    const body = Buffer.from(variant.body);
    const lines = [`POST / HTTP/1.1`, `Host: ${host}`, `Content-Length: ${body.length}`, ...headersOf(variant.headers).map(([name, value]) => `${name}: ${value}`)];
    const raw = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]);
    return Buffer.concat([Buffer.from(`${raw.length}\n`), raw]);
  }));
}

/** The headers wrk is to send: it sets Host (from the URL) and Content-Length itself. */
function headersOf(headers: Record<string, string>): Array<[string, string]> {
  return Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'host' && name.toLowerCase() !== 'content-length');
}

/** A Lua string literal (long brackets cannot hold every byte; escaped quotes can). */
function lua(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
