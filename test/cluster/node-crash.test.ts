import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  CreateAliasCommand, CreateKeyCommand, DecryptCommand, EncryptCommand, ListAliasesCommand, type KMSClient,
} from '@aws-sdk/client-kms';
import {
  auditRecords, initDatabase, kmsClientOf, newClusterDir, startNode, verifyAuditTrail, type ClusterNode,
} from '../support/cluster.js';
import { createTestDatabase, startTestPostgres } from '../support/postgres.js';

/**
 * A node killed (SIGKILL, every process of it) while a client spreads its requests over two nodes: whatever the
 * client saw succeed, on either node, has its effect and its audit record afterwards, and the trail verifies.
 */
const postgres = await startTestPostgres({ maxConnections: 200 });
after(() => postgres.found?.stop());

const CLIENTS = 12;
/** Successes before node A is killed, then after it (on B alone) before the load stops. */
const SUCCESSES_BEFORE_KILL = 300;
const SUCCESSES_AFTER_KILL = 100;

/** What the client saw succeed: the request id, and what to look for afterwards. */
type Acknowledged =
  | { readonly requestId: string; readonly kind: 'alias'; readonly aliasName: string }
  | { readonly requestId: string; readonly kind: 'ciphertext'; readonly ciphertext: Uint8Array; readonly plaintext: string };

async function aliasNames(client: KMSClient): Promise<Set<string>> {
  const names = new Set<string>();
  let Marker: string | undefined;
  do {
    const page = await client.send(new ListAliasesCommand({ Limit: 100, ...(Marker ? { Marker } : {}) }));
    for (const alias of page.Aliases ?? []) names.add(alias.AliasName!);
    Marker = page.NextMarker;
  } while (Marker);
  return names;
}

describe('SIGKILL of one node under load', { skip: postgres.skip }, () => {
  test('every request the client saw succeed has its effect and its audit record; audit verify passes', async () => {
    const dir = await newClusterDir();
    const databaseUrl = await createTestDatabase(postgres.found!, 'crash');
    const rootKeyFile = join(dir, 'root.key');
    const { credentials } = await initDatabase(databaseUrl, rootKeyFile, join(dir, 'credentials'));
    const args = ['--quotas', 'off'];
    const [a, b] = await Promise.all([
      startNode('A', { databaseUrl, rootKeyFile, workers: 2, args }),
      startNode('B', { databaseUrl, rootKeyFile, args }),
    ]) as [ClusterNode, ClusterNode];
    const clients = [kmsClientOf(a, credentials), kmsClientOf(b, credentials)];
    let restarted: ClusterNode | undefined;
    const acknowledged: Acknowledged[] = [];
    let failures = 0;
    try {
      const keyId = (await clients[1]!.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      let sent = 0;
      let killed: Promise<void> | undefined;
      let successesAtKill = 0;
      const done = () => killed !== undefined && acknowledged.length >= successesAtKill + SUCCESSES_AFTER_KILL;
      // A broken node B must fail the test, not hang it.
      const deadline = Date.now() + 120_000;
      const client = async (): Promise<void> => {
        while (!done() && Date.now() < deadline) {
          const n = sent++;
          const kms = clients[n % 2]!;
          try {
            if (n % 3 === 0) {
              const aliasName = `alias/crash-${n}`;
              const response = await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }));
              acknowledged.push({ requestId: response.$metadata.requestId!, kind: 'alias', aliasName });
            } else {
              const plaintext = `request ${n}`;
              const response = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plaintext) }));
              acknowledged.push({ requestId: response.$metadata.requestId!, kind: 'ciphertext', ciphertext: response.CiphertextBlob!, plaintext });
            }
          } catch {
            failures += 1; // in flight on A when it died, or sent to A after: never acknowledged
          }
          if (killed === undefined && acknowledged.length >= SUCCESSES_BEFORE_KILL) {
            successesAtKill = acknowledged.length;
            killed = a.kill();
          }
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, client));
      await killed;
      assert.ok(done(), `the load did not finish: ${acknowledged.length} acknowledged, ${failures} failed`);
      console.log(`# ${acknowledged.length} acknowledged, ${failures} failed (sent to A as it died or after)`);
      assert.ok(failures > 0, 'node A was killed while the client used it');
      assert.equal(b.running(), true, 'node B kept serving');

      // Effects, read on the surviving node.
      const aliases = await aliasNames(clients[1]!);
      for (const item of acknowledged) {
        if (item.kind === 'alias') {
          assert.ok(aliases.has(item.aliasName), `${item.aliasName} was acknowledged, so it exists`);
        } else {
          const { Plaintext } = await clients[1]!.send(new DecryptCommand({ CiphertextBlob: item.ciphertext }));
          assert.equal(Buffer.from(Plaintext!).toString(), item.plaintext);
        }
      }
      // Audit records, across both nodes' chains.
      const recorded = new Set((await auditRecords(databaseUrl, rootKeyFile)).map((event) => event['requestID']));
      const missing = acknowledged.filter((item) => !recorded.has(item.requestId)).map((item) => item.requestId);
      assert.deepEqual(missing, [], 'every acknowledged request has its audit record');
      const verify = await verifyAuditTrail(databaseUrl, rootKeyFile);
      assert.equal(verify.status, 0, `${verify.stdout}\n${verify.stderr}`);

      // The killed node's place is taken by a new process on the same database, which serves at once.
      restarted = await startNode('A again', { databaseUrl, rootKeyFile, args });
      const again = kmsClientOf(restarted, credentials);
      clients.push(again);
      await again.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('after the crash') }));
    } finally {
      for (const kms of clients) kms.destroy();
      await a.kill();
      await b.stop();
      await restarted?.stop();
    }
  });
});
