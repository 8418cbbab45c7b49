import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { answerConsoleRequest, CONSOLE_CONTENT_SECURITY_POLICY } from '../../src/api/console/console-endpoint.js';
import { consoleAssetsIn } from '../../src/server/console-assets.js';
import type { WireRequest } from '../../src/api/http/wire-request.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** A console built into a temporary directory: what `npm run build` puts in dist/console/, in miniature. */
async function builtConsole(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'strongroom-console-'));
  await mkdir(join(directory, 'assets'));
  await writeFile(join(directory, 'index.html'), '<!doctype html><script type="module" src="/console/assets/app-1.js"></script>');
  await writeFile(join(directory, 'assets', 'app-1.js'), 'console.log("console")');
  await writeFile(join(directory, 'assets', 'app-1.css'), 'body{}');
  return directory;
}

describe('the console at /console/', () => {
  let server: TestServer;
  let directory: string;
  before(async () => {
    directory = await builtConsole();
    server = await startTestServer({ consoleDirectory: directory });
  });
  after(async () => {
    await server.stop();
    await rm(directory, { recursive: true, force: true });
  });
  const get = (path: string, init: RequestInit = {}) => fetch(`${server.endpoint}${path}`, { redirect: 'manual', ...init });

  test('serves index.html with a strict Content-Security-Policy and no caching', async () => {
    const response = await get('/console/');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.headers.get('content-security-policy'), CONSOLE_CONTENT_SECURITY_POLICY);
    assert.match(CONSOLE_CONTENT_SECURITY_POLICY, /default-src 'none'/);
    assert.match(CONSOLE_CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/);
    assert.match(CONSOLE_CONTENT_SECURITY_POLICY, /connect-src 'self'(;|$)/);
    assert.doesNotMatch(CONSOLE_CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.match(await response.text(), /\/console\/assets\/app-1\.js/);
  });

  test('serves hashed assets with their type, cacheable for good; HEAD answers without a body', async () => {
    const script = await get('/console/assets/app-1.js');
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(script.headers.get('cache-control') ?? '', /immutable/);
    const style = await get('/console/assets/app-1.css', { method: 'HEAD' });
    assert.equal(style.status, 200);
    assert.equal(style.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(await style.text(), '');
  });

  test('/console redirects to /console/; unknown files are 404; other methods 405', async () => {
    const redirect = await get('/console');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/console/');
    assert.equal((await get('/console/assets/missing.js')).status, 404);
    const post = await get('/console/', { method: 'POST', body: '{}' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });

  test('no path reaches outside the console directory', async () => {
    for (const path of ['/console/../package.json', '/console/%2e%2e/package.json', '/console/assets/../../index.html', '/console/..%2findex.html']) {
      const response = await get(path);
      assert.notEqual(response.status, 200, path);
      const text = await response.text();
      assert.doesNotMatch(text, /"name": "strongroom"/, path);
    }
  });

  test('is neither authenticated nor recorded in the audit trail', async () => {
    const before = server.logs.length;
    assert.equal((await get('/console/')).status, 200);
    assert.equal(server.logs.length, before);
  });
});

describe('a server whose console is not built', () => {
  test('answers /console/ with 404 and says how to build it', async () => {
    const assets = consoleAssetsIn(join(tmpdir(), 'strongroom-no-console-here'));
    const request: WireRequest = { method: 'GET', path: '/console/', query: '', headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' };
    const response = await answerConsoleRequest(request, assets);
    assert.equal(response.status, 404);
    assert.match(response.body, /npm run build/);
  });
});
