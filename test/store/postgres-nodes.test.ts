import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { initialiseSharedDatabase, openSharedDatabase } from '../../src/server/shared-database.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { startTestPostgres } from '../support/postgres.js';
import { SCOPE, T0, makeAccessKey, makeKey, makeMaterial, nextRevision } from './contract/fixtures.js';

/*
 * What several nodes on one PostgreSQL database rely on beyond the storage contract: caches that never serve a
 * change another node has committed (ADR 0018), jobs run once across nodes, and `init` / a node's start checking
 * the database and the root key against each other.
 */
const postgres = await startTestPostgres();
after(() => postgres.found?.stop());

const RUN = `strongroom_nodes_${randomBytes(4).toString('hex')}`;
let schemas = 0;
let admin: pg.Client | undefined;

async function freshUrl(): Promise<string> {
  schemas += 1;
  await admin?.query(`CREATE SCHEMA ${RUN}_${schemas}`);
  const url = new URL(postgres.found?.url ?? 'postgresql:///');
  url.searchParams.set('options', `-c search_path=${RUN}_${schemas}`);
  return url.toString();
}

const open = (databaseUrl: string): Promise<Store> => openPostgresStore({ databaseUrl, now: () => T0, poolSize: 4 });

describe('several nodes on one PostgreSQL database', { skip: postgres.skip }, () => {
  let directory = '';
  before(async () => {
    admin = new pg.Client({ connectionString: postgres.found?.url });
    await admin.connect();
    directory = await mkdtemp(join(tmpdir(), 'strongroom-nodes-'));
  });
  after(async () => {
    const names = Array.from({ length: schemas }, (_, index) => `${RUN}_${index + 1}`);
    if (names.length > 0) await admin?.query(`DROP SCHEMA IF EXISTS ${names.join(', ')} CASCADE`);
    await admin?.end();
    await rm(directory, { recursive: true, force: true });
  });

  test('a change committed by one node is seen by the next lookup on another, whatever that node cached', async () => {
    const databaseUrl = await freshUrl();
    const [a, b] = [await open(databaseUrl), await open(databaseUrl)];
    try {
      const key = makeKey(SCOPE, 'k-1');
      await a.keys.create(key, makeMaterial(key, 'k-1-m1'));
      const accessKey = makeAccessKey('AKIANODES00000000001');
      await a.identities.createAccessKey(accessKey);
      // b's requests: each catches up as it arrives (the App does), then looks up.
      const onB = async <T>(lookup: () => Promise<T>): Promise<T> => {
        await b.catchUp();
        return lookup();
      };
      for (let round = 0; round < 3; round++) {
        // Cached on b by repeated lookups, then changed on a: b's very next request has the change.
        assert.equal((await onB(() => b.keys.get(SCOPE, 'k-1')))?.revision, round + 1);
        assert.equal((await onB(() => b.keys.get(SCOPE, 'k-1')))?.revision, round + 1);
        const current = await a.keys.get(SCOPE, 'k-1');
        await a.keys.update(nextRevision(current!, { state: round % 2 === 0 ? 'Disabled' : 'Enabled' }));
        assert.equal((await onB(() => b.keys.get(SCOPE, 'k-1')))?.state, round % 2 === 0 ? 'Disabled' : 'Enabled');
      }
      assert.equal((await onB(() => b.identities.getAccessKey(accessKey.accessKeyId)))?.status, 'Active');
      await a.identities.deleteAccessKey(accessKey.accessKeyId);
      assert.equal(await onB(() => b.identities.getAccessKey(accessKey.accessKeyId)), undefined);
      const user = 'arn:aws:iam::111122223333:user/u';
      await onB(() => b.identities.listPolicies(user));
      await a.identities.putPolicy({ principalArn: user, policyName: 'p', document: '{}' });
      assert.equal((await onB(() => b.identities.listPolicies(user))).length, 1);
      await a.identities.deletePolicy(user, 'p');
      assert.equal((await onB(() => b.identities.listPolicies(user))).length, 0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('requests arriving at once share a reading of the change counter, and all see a commit made before they came', async () => {
    const databaseUrl = await freshUrl();
    const [a, b] = [await open(databaseUrl), await open(databaseUrl)];
    try {
      const key = makeKey(SCOPE, 'k-2');
      await a.keys.create(key, makeMaterial(key, 'k-2-m1'));
      await b.catchUp();
      await b.keys.get(SCOPE, 'k-2');
      await a.keys.update(nextRevision(key, { state: 'Disabled' }));
      const seen = await Promise.all(Array.from({ length: 50 }, async () => {
        await b.catchUp();
        return b.keys.get(SCOPE, 'k-2');
      }));
      assert.ok(seen.every((found) => found?.state === 'Disabled'));
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a job runs on one node at a time; a node that dies holding it lets another take over', async () => {
    const databaseUrl = await freshUrl();
    const [a, b] = [await open(databaseUrl), await open(databaseUrl)];
    try {
      let release!: () => void;
      const holding = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const hasStarted = new Promise<void>((resolve) => (started = resolve));
      const first = a.exclusively('rotation', async () => {
        started();
        await holding;
        return 'a';
      });
      await hasStarted;
      assert.equal(await b.exclusively('rotation', async () => 'b'), undefined, 'skipped while a runs it');
      assert.equal(await b.exclusively('retention', async () => 'b'), 'b', 'another job is not held');
      release();
      assert.equal(await first, 'a');
      assert.equal(await b.exclusively('rotation', async () => 'b'), 'b');

      // A node dying mid-job: its connection goes, and PostgreSQL releases the lock with it.
      let dying!: () => void;
      const dead = new Promise<void>((resolve) => (dying = resolve));
      let finish!: () => void;
      const stuck = a.exclusively('rotation', async () => {
        dying();
        await new Promise<void>((resolve) => (finish = resolve)); // held until after its connection is killed below
      });
      await dead;
      await admin?.query(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND granted",
        [0x736a6f62],
      );
      assert.equal(await b.exclusively('rotation', async () => 'taken over'), 'taken over');
      finish();
      await stuck.catch(() => undefined); // its unlock fails on the dead connection, which is dropped
    } finally {
      await b.close();
      await a.close().catch(() => undefined);
    }
  });

  test('init prepares a database once; nodes start only on it, and only with its root key', async () => {
    const databaseUrl = await freshUrl();
    const rootKeyFile = join(directory, 'root.key');
    const credentialsPath = join(directory, 'credentials');
    const shared = { databaseUrl, rootKeyFile };
    await assert.rejects(openSharedDatabase(shared), /no such file|ENOENT/, 'a node never makes a root key');
    const printed: string[] = [];
    const print = (text: string) => printed.push(text);
    // Two inits at once: one prepares the database, the other is refused.
    const results = await Promise.allSettled([
      initialiseSharedDatabase(shared, { credentialsPath, region: 'eu-west-1', print }),
      initialiseSharedDatabase(shared, { credentialsPath, region: 'eu-west-1', print }),
    ]);
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
    const refused = results.find((result) => result.status === 'rejected');
    assert.match(String((refused as PromiseRejectedResult).reason), /already initialised|preparing/);
    assert.equal((await stat(rootKeyFile)).mode & 0o777, 0o600);
    assert.equal((await stat(credentialsPath)).mode & 0o777, 0o600);
    assert.match(printed.join(''), /aws_secret_access_key = \S{40}/);

    const opened = await openSharedDatabase(shared);
    try {
      const accountId = (results.find((result) => result.status === 'fulfilled') as PromiseFulfilledResult<{ accountId: string }>).value.accountId;
      assert.equal(opened.administratorAccountId, accountId);
      assert.equal(await opened.store.settings.get('root-key-check'), opened.rootKey.id, 'a check value, never the key');
    } finally {
      await opened.store.close();
    }
    await assert.rejects(initialiseSharedDatabase(shared, { region: 'eu-west-1', print }), /already initialised/);

    const otherKeyFile = join(directory, 'other.key');
    await writeFile(otherKeyFile, randomBytes(32), { mode: 0o600 });
    await assert.rejects(openSharedDatabase({ databaseUrl, rootKeyFile: otherKeyFile }), /is not the one database .* was initialised with/);
    await assert.rejects(openSharedDatabase({ databaseUrl: await freshUrl(), rootKeyFile }), /is not initialised: run 'strongroom init/);
  });

  test('a database that cannot be reached is named without its password', async () => {
    const rootKeyFile = join(directory, 'unreachable.key');
    await writeFile(rootKeyFile, randomBytes(32), { mode: 0o600 });
    const databaseUrl = 'postgresql://strongroom:hunter2-secret@127.0.0.1:1/strongroom';
    const error = await openSharedDatabase({ databaseUrl, rootKeyFile }).then(() => undefined, (failure: unknown) => failure as Error);
    assert.ok(error instanceof Error);
    assert.match(error.message, /cannot open database postgresql:\/\/strongroom:\*\*\*\*@127\.0\.0\.1:1\/strongroom: .*ECONNREFUSED/);
    assert.doesNotMatch(error.message, /hunter2/);
  });
});
