import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { openAuditDatabase } from '../../src/audit/audit-database.js';
import { dataDirectoryLayout } from '../../src/server/data-directory.js';
import type { Store } from '../../src/store/store.js';
import { failingOnce } from '../support/faulty-journal.js';
import { startTestServer, type TestServer } from '../support/server.js';

async function probe(server: TestServer, path: string, method = 'GET') {
  const response = await fetch(`${server.endpoint}${path}`, { method });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** How many records the trail holds, every journal indexed first. */
async function recordCount(server: TestServer): Promise<number> {
  await server.node.audit!.lookupEvents({ accountId: server.accountId, maxResults: 1 });
  const db = openAuditDatabase(dataDirectoryLayout(server.dataDir).auditDatabase, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM audit_records').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A store whose trivial query (reading a setting) fails while `failing.now` is set. */
function failingSettings(failing: { now: boolean }) {
  return (store: Store): Store => ({
    keys: store.keys,
    aliases: store.aliases,
    identities: store.identities,
    grants: store.grants,
    keyStores: store.keyStores,
    xksCredentials: store.xksCredentials,
    clearState: () => store.clearState(),
    onStateCleared: (listener) => store.onStateCleared(listener),
    catchUp: () => store.catchUp(),
    exclusively: (name, work) => store.exclusively(name, work),
    rewrapSecrets: (rewrap) => store.rewrapSecrets(rewrap),
    close: () => store.close(),
    settings: {
      get: (name) => (failing.now ? Promise.reject(new Error('SQLITE_IOERR: disk I/O error')) : store.settings.get(name)),
      put: (name, value) => store.settings.put(name, value),
    },
  });
}

void describe('/healthz and /readyz over HTTP', () => {
  void test('answer without credentials, with nothing secret, and are never audited', async () => {
    const server = await startTestServer({ audit: true });
    try {
      await server.kms().send(new CreateKeyCommand({}));
      const before = await recordCount(server);
      const health = await probe(server, '/healthz');
      assert.equal(health.status, 200);
      assert.deepEqual(JSON.parse(health.text), { status: 'ok' });
      assert.equal(health.headers.get('content-type'), 'application/json');
      assert.equal(health.headers.get('cache-control'), 'no-store');
      const ready = await probe(server, '/readyz?verbose=1');
      assert.equal(ready.status, 200);
      assert.deepEqual(JSON.parse(ready.text), {
        status: 'ready', checks: { store: 'ok', rootKey: 'ok', auditLog: 'ok', auditChain: 'ok' },
      });
      for (const secretish of [server.dataDir, server.node.rootKey.id, server.accountId, server.credentials.accessKeyId]) {
        assert.ok(!ready.text.includes(secretish), 'no path, key id, account or credential');
      }
      const posted = await probe(server, '/healthz', 'POST');
      assert.equal(posted.status, 405);
      assert.equal(posted.headers.get('allow'), 'GET');
      for (let i = 0; i < 5; i += 1) await probe(server, i % 2 === 0 ? '/healthz' : '/readyz');
      assert.equal(await recordCount(server), before, 'probes do not fill the trail');
    } finally {
      await server.stop();
    }
  });

  void test('/readyz names the check that fails: the store, then the root of trust', async () => {
    const failing = { now: false };
    const server = await startTestServer({ wrapStore: failingSettings(failing) });
    try {
      const ready = await probe(server, '/readyz');
      assert.equal(ready.status, 200);
      assert.deepEqual(JSON.parse(ready.text), { status: 'ready', checks: { store: 'ok', rootKey: 'ok' } }, 'no trail, no trail checks');
      failing.now = true;
      const storeDown = await probe(server, '/readyz');
      assert.equal(storeDown.status, 503);
      assert.deepEqual(JSON.parse(storeDown.text), { status: 'not ready', checks: { store: 'failed', rootKey: 'ok' } });
      assert.ok(!storeDown.text.includes('SQLITE'), 'the reason stays out of the answer');
      assert.equal((await probe(server, '/healthz')).status, 200, 'alive all the same');
      failing.now = false;
      server.node.rootKey.destroy();
      const rootGone = await probe(server, '/readyz');
      assert.equal(rootGone.status, 503);
      assert.deepEqual(JSON.parse(rootGone.text), { status: 'not ready', checks: { store: 'ok', rootKey: 'failed' } });
    } finally {
      await server.stop();
    }
  });

  void test('/readyz fails while the last audit journal write failed, and recovers with the next one', async () => {
    const fault = failingOnce();
    const server = await startTestServer({ audit: { wrapJournal: fault.wrap } });
    try {
      const kms = server.kms();
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      fault.arm();
      await assert.rejects(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })));
      const failed = await probe(server, '/readyz');
      assert.equal(failed.status, 503);
      assert.equal((JSON.parse(failed.text) as { checks: Record<string, string> }).checks['auditLog'], 'failed');
      await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
      assert.equal((await probe(server, '/readyz')).status, 200);
    } finally {
      await server.stop();
    }
  });
});
