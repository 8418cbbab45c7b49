/**
 * Encrypt's CPU without HTTP (issue #19): a node opened in this process (SQLite, audit trail on, quotas off, as
 * `serve` opens one), and signed Encrypt requests handed to `App.handle` in batches, as the HTTP server starts the
 * requests that arrived in one event-loop turn together (ADR 0008). Prints µs of CPU per request of the event loop
 * (this process's main thread) and of the whole process (the journal writes on libuv's threads, V8's GC threads), from
 * /proc. Steadier than a run under HTTP load: what the pipeline itself costs. The trail's indexing is not counted: the
 * run is measured in chunks of 40,000 requests, fewer than the node lets wait before it indexes, each begun with the
 * trail indexed (audit-indexing-cost.ts measures indexing).
 *
 * Run: npm run build && node dist/bench/encrypt-in-process.js [requests, default 100000] [batch, default 16] [keys, default 1]
 * IN_PROCESS_AUDIT=off opens the node without its audit trail.
 * With more than one key, the keys are seeded (`applySeed`, as `strongroom seed` does) and each request names one
 * drawn at random: with more keys than the caches hold (10,000), nearly every request misses them, which is what a
 * cache miss costs (the scale target of issue #19).
 * With `node --cpu-prof` it shows where the event loop's time goes (bench/cpu-profile-stages.ts reads the profile).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { WireRequest } from '../src/api/http/wire-request.js';
import { DEFAULT_INDEX_BACKLOG } from '../src/audit/journal-audit-store.js';
import { createLogger } from '../src/observability/logger.js';
import { dataDirectoryLayout } from '../src/server/data-directory.js';
import { ensureAdministrator } from '../src/server/first-start.js';
import { openNode } from '../src/server/node.js';
import { applySeed } from '../src/service/seeding/apply-seed.js';
import { parseSeedText } from '../src/service/seeding/parse-seed-file.js';
import { readCredentials } from './bench-client.js';
import { processCpu, threadCpu, totalMicros } from './process-cpu.js';
import { seedDocuments } from './seed-documents.js';
import { kmsRequest, type KmsCredentials } from './signed-request.js';

const REQUESTS = Number(process.argv[2] ?? 100_000);
const BATCH = Number(process.argv[3] ?? 16);
const KEYS = Number(process.argv[4] ?? 1);
const URL_OF_NOTHING = 'http://127.0.0.1:1'; // signed for this host; nothing is sent over the network
/** Requests per measured chunk: well below the records a node lets wait before it indexes them. */
const CHUNK = Math.floor(DEFAULT_INDEX_BACKLOG * 0.8);

function wireRequest(signed: { headers: Record<string, string>; body: string }): WireRequest {
  return {
    method: 'POST', path: '/', query: '', sourceIp: '127.0.0.1', body: Buffer.from(signed.body),
    headers: Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), [value]])),
  };
}

async function run(node: Awaited<ReturnType<typeof openNode>>, requests: readonly WireRequest[], count: number): Promise<void> {
  const pick = () => requests[Math.floor(Math.random() * requests.length)]!;
  for (let done = 0; done < count; done += BATCH) {
    const responses = await Promise.all(Array.from({ length: BATCH }, () => node.app.handle(pick())));
    if (responses.some((response) => response.status !== 200)) throw new Error(`Encrypt failed: ${responses.find((r) => r.status !== 200)?.body}`);
  }
}

async function createKey(node: Awaited<ReturnType<typeof openNode>>, credentials: KmsCredentials): Promise<string> {
  const created = await node.app.handle(wireRequest(kmsRequest(URL_OF_NOTHING, credentials, 'CreateKey', {})));
  return (JSON.parse(created.body) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
}

/** `count` keys with the default policy of the administrator's account, seeded as `strongroom seed` does. */
async function seedKeys(node: Awaited<ReturnType<typeof openNode>>, account: string, count: number): Promise<string[]> {
  const started = performance.now();
  const keyIds = Array.from({ length: count }, () => randomUUID());
  for (const text of seedDocuments(account, keyIds)) await applySeed(node.deps, parseSeedText(text, 'bench', 'json'));
  console.log(`seeded ${count.toLocaleString('en-US')} keys in ${Math.round(performance.now() - started)} ms`);
  return keyIds;
}

const dataDir = await mkdtemp(join(tmpdir(), 'strongroom-in-process-'));
// IN_PROCESS_AUDIT=off: the node without its trail, to see what the trail costs the event loop.
const audited = process.env['IN_PROCESS_AUDIT'] !== 'off';
const node = await openNode({ dataDir, log: createLogger(() => undefined), ...(audited ? { audit: {} } : {}) });
try {
  const { accountId } = await ensureAdministrator(node.store, node.rootKey, {
    credentialsPath: dataDirectoryLayout(dataDir).credentials, region: 'us-east-1', now: Date.now(), print: () => undefined,
  });
  const credentials = await readCredentials(dataDirectoryLayout(dataDir).credentials);
  const keyIds = KEYS > 1 ? await seedKeys(node, accountId, KEYS) : [await createKey(node, credentials)];
  const plaintext = Buffer.alloc(1024, 7).toString('base64');
  const encrypt = keyIds.map((KeyId) => wireRequest(kmsRequest(URL_OF_NOTHING, credentials, 'Encrypt', { KeyId, Plaintext: plaintext })));
  const indexed = () => node.audit?.lookupEvents({ accountId: '000000000000', maxResults: 1 }); // what waits, indexed
  await run(node, encrypt, Math.min(REQUESTS, 20_000)); // warm-up: JIT, caches
  await indexed();
  // Measured in chunks below the backlog at which the node starts indexing, each begun with the trail indexed and
  // the catch-up left out: a run that crossed it would count the indexing thread's CPU as the request's.
  let main = 0;
  let all = 0;
  let seconds = 0;
  for (let done = 0; done < REQUESTS; done += CHUNK) {
    const mainBefore = threadCpu(process.pid).get(process.pid)!;
    const processBefore = processCpu(process.pid);
    const started = performance.now();
    await run(node, encrypt, Math.min(CHUNK, REQUESTS - done));
    seconds += (performance.now() - started) / 1000;
    main += totalMicros(threadCpu(process.pid).get(process.pid)!) - totalMicros(mainBefore);
    all += totalMicros(processCpu(process.pid)) - totalMicros(processBefore);
    await indexed();
  }
  console.log(`Encrypt in process, ${REQUESTS.toLocaleString('en-US')} requests in batches of ${BATCH} over ${KEYS.toLocaleString('en-US')} key(s): ${Math.round(REQUESTS / seconds).toLocaleString('en-US')}/s, ` +
    `µs of CPU per request: event loop ${(main / REQUESTS).toFixed(1)}, whole process ${(all / REQUESTS).toFixed(1)}${audited ? " (the trail's indexing not counted)" : ', no audit trail'}`);
} finally {
  await node.close();
  await rm(dataDir, { recursive: true, force: true });
}
