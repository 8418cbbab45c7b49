import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import {
  auditRecords, initDatabase, newClusterDir, startNode, verifyAuditTrail, type ClusterNode, type Credentials,
} from '../support/cluster.js';
import { createTestDatabase, startTestPostgres } from '../support/postgres.js';
import { rawKmsRequest } from './raw-kms-request.js';

/**
 * PostgreSQL stopped for 10 s while two nodes serve a steady load: every request is answered — during the outage
 * with an AWS-shaped 5xx that says nothing of the database's internals — nothing acknowledged is lost, and the
 * nodes serve again on their own once the database is back.
 */
const postgres = await startTestPostgres({ maxConnections: 200 });
after(() => postgres.found?.stop());
const skip = postgres.found === undefined ? postgres.skip : postgres.found.outage === undefined
  ? 'STRONGROOM_TEST_DATABASE_URL names a server these tests may not stop (they need the throwaway cluster)'
  : false;

const CLIENTS = 8;
const OUTAGE_MS = 10_000;
/** Generous: every request sent before the database came back is answered within this after it is back. */
const ANSWERED_WITHIN_MS_AFTER_OUTAGE = 15_000;
/** Successes each node must show after the outage before the load stops. */
const RECOVERED_SUCCESSES = 20;

/** One request as the client saw it. */
interface Sent {
  readonly node: string;
  readonly startedAt: number;
  endedAt?: number;
  status?: number;
  text?: string;
  requestId?: string;
  /** The alias a successful CreateAlias made. */
  aliasName?: string;
  /** The request never got an answer (connection refused or reset, or a hang cut short). */
  thrown?: string;
}

/** What an error body must not contain: the database's address, system error codes, stack frames, driver text. */
function internalsIn(text: string, socketDirectory: string): string[] {
  const patterns: Array<[string, RegExp]> = [
    ['the socket directory', new RegExp(socketDirectory.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
    ['the database address', /127\.0\.0\.1:\d+/],
    ['a system error code', /\bE(CONNREFUSED|CONNRESET|NOENT|PIPE|TIMEDOUT)\b/],
    ['PostgreSQL', /postgres|\.s\.PGSQL|SQLSTATE/i],
    ['a driver message', /terminated unexpectedly|timeout exceeded when trying to connect|node_modules/i],
    ['a stack frame', /\bat .+:\d+:\d+/],
  ];
  return patterns.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);
}

describe('PostgreSQL stopped for 10 s under load', { skip }, () => {
  test('answers in the outage are AWS-shaped 5xx errors; nothing acknowledged is lost; the nodes recover on their own', async () => {
    const found = postgres.found!;
    const outage = found.outage!;
    const dir = await newClusterDir();
    const databaseUrl = await createTestDatabase(found, 'outage');
    const rootKeyFile = join(dir, 'root.key');
    const { credentials } = await initDatabase(databaseUrl, rootKeyFile, join(dir, 'credentials'));
    const args = ['--quotas', 'off'];
    const nodes = await Promise.all([
      startNode('A', { databaseUrl, rootKeyFile, args }),
      startNode('B', { databaseUrl, rootKeyFile, args }),
    ]) as [ClusterNode, ClusterNode];
    const sent: Sent[] = [];
    let outageStart = Number.POSITIVE_INFINITY;
    let outageEnd = Number.POSITIVE_INFINITY;
    try {
      const created = await rawKmsRequest(nodes[0].endpoint, credentials, 'CreateKey', {});
      const keyId = (created.json?.['KeyMetadata'] as { KeyId: string }).KeyId;
      let stopping = false;
      const recoveredOn = (node: ClusterNode) =>
        sent.filter((request) => request.node === node.name && request.startedAt > outageEnd && request.status === 200).length;
      const client = async (): Promise<void> => {
        while (!stopping) {
          const n = sent.length;
          const node = nodes[n % 2]!;
          const request: Sent = { node: node.name, startedAt: Date.now() };
          sent.push(request);
          await send(node, credentials, keyId, n, request);
          // An error answer comes back fast in the outage: pause a little rather than spin through thousands.
          if (request.status !== 200) await sleep(request.thrown !== undefined ? 100 : 20);
        }
      };
      const load = Promise.all(Array.from({ length: CLIENTS }, client));

      while (sent.filter((request) => request.status === 200).length < 100) await sleep(50);
      outageStart = Date.now();
      await outage.stopServer();
      await sleep(OUTAGE_MS - (Date.now() - outageStart));
      await outage.startServer();
      outageEnd = Date.now();
      const deadline = outageEnd + 60_000;
      while (Date.now() < deadline && !nodes.every((node) => recoveredOn(node) >= RECOVERED_SUCCESSES)) await sleep(100);
      stopping = true;
      await load;

      const failed = sent.filter((request) => request.status !== 200);
      console.log(`# ${sent.length} requests, ${failed.length} not successful, outage ${outageEnd - outageStart} ms; ` +
        `an answer in the outage: ${failed[0]?.status} ${failed[0]?.text}`);
      assert.deepEqual(sent.filter((request) => request.thrown !== undefined).map((request) => request.thrown), [],
        'every request got an answer (no refused connection, no hang)');
      assert.ok(failed.length > 0, 'the outage was felt');
      for (const request of failed) {
        const body = JSON.parse(request.text ?? 'null') as Record<string, unknown> | null;
        assert.ok(request.status! >= 500, `a ${request.status} in the outage: ${request.text}`);
        assert.equal(typeof body?.['__type'], 'string', `AWS-shaped: ${request.text}`);
        assert.deepEqual(internalsIn(request.text!, found.source), [], `no internals: ${request.text}`);
        assert.ok(request.startedAt >= outageStart - 1_000, `a failure before the outage: ${request.text}`);
      }
      const late = sent.filter((request) => request.startedAt < outageEnd && request.endedAt! > outageEnd + ANSWERED_WITHIN_MS_AFTER_OUTAGE);
      assert.deepEqual(late.map((request) => request.endedAt! - request.startedAt), [], 'answered in bounded time, never a hang');
      for (const node of nodes) {
        assert.ok(node.running(), `node ${node.name} is still running`);
        assert.ok(recoveredOn(node) >= RECOVERED_SUCCESSES, `node ${node.name} serves again on its own`);
      }

      // Nothing acknowledged lost: every alias made, every audit record, a verifying trail.
      const aliases = await aliasNames(nodes[1], credentials);
      const acknowledged = sent.filter((request) => request.status === 200);
      const lostAliases = acknowledged.filter((request) => request.aliasName !== undefined && !aliases.has(request.aliasName));
      assert.deepEqual(lostAliases.map((request) => request.aliasName), [], 'every acknowledged alias exists');
      const recorded = new Set((await auditRecords(databaseUrl, rootKeyFile)).map((event) => event['requestID']));
      const unrecorded = acknowledged.filter((request) => !recorded.has(request.requestId));
      assert.deepEqual(unrecorded.map((request) => request.requestId), [], 'every acknowledged request has its audit record');
      const verify = await verifyAuditTrail(databaseUrl, rootKeyFile);
      assert.equal(verify.status, 0, `${verify.stdout}\n${verify.stderr}`);
    } finally {
      if (outageEnd === Number.POSITIVE_INFINITY && outageStart !== Number.POSITIVE_INFINITY) await outage.startServer().catch(() => undefined);
      await Promise.all(nodes.map((node) => node.stop()));
    }
  });
});

async function aliasNames(node: ClusterNode, credentials: Credentials): Promise<Set<string>> {
  const names = new Set<string>();
  let marker: unknown;
  do {
    const page = await rawKmsRequest(node.endpoint, credentials, 'ListAliases', { Limit: 100, ...(marker ? { Marker: marker } : {}) });
    assert.equal(page.status, 200, page.text);
    for (const alias of page.json?.['Aliases'] as Array<{ AliasName: string }>) names.add(alias.AliasName);
    marker = page.json?.['NextMarker'];
  } while (marker);
  return names;
}

/** Request `n`: a CreateAlias (a write to find afterwards) every third time, an Encrypt otherwise. */
async function send(node: ClusterNode, credentials: Credentials, keyId: string, n: number, request: Sent): Promise<void> {
  const aliasName = `alias/outage-${n}`;
  try {
    const answer = n % 3 === 0
      ? await rawKmsRequest(node.endpoint, credentials, 'CreateAlias', { AliasName: aliasName, TargetKeyId: keyId })
      : await rawKmsRequest(node.endpoint, credentials, 'Encrypt', { KeyId: keyId, Plaintext: Buffer.from(`request ${n}`).toString('base64') });
    Object.assign(request, { status: answer.status, text: answer.text, requestId: answer.requestId });
    if (answer.status === 200 && n % 3 === 0) request.aliasName = aliasName;
  } catch (error) {
    request.thrown = `${node.name}: ${(error as Error).message}`;
  } finally {
    request.endedAt = Date.now();
  }
}
