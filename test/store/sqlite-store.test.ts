import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, openConnection } from '../../src/store/sqlite/connection.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from '../../src/store/sqlite/migrations/migrate.js';
import { UnsupportedSchemaVersionError, openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { SCOPE, T0, makeAlias, makeKey, makeMaterial, nextRevision } from './contract/fixtures.js';
import { InjectedStoreFault, withFaults, type StoreWriteMethod } from './faulty-store.js';

const directory = mkdtempSync(join(tmpdir(), 'strongroom-sqlite-'));
after(() => rmSync(directory, { recursive: true, force: true }));

let databases = 0;

function freshPath(): string {
  databases += 1;
  return join(directory, `store-${databases}.db`);
}

async function openAt(path: string): Promise<Store> {
  const store = await openSqliteStore({ path, now: () => T0 });
  return store;
}

// The storage contract itself runs from storage-backends.test.ts, beside PostgreSQL's and the audit store's.

/** Reads the file with a plain connection, as an operator (or an attacker with the file) would. */
function inspectFile<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('SQLite store specifics', () => {
  test('a connection uses WAL, synchronous=FULL, a busy timeout and foreign keys', () => {
    const db = openConnection(freshPath());
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('synchronous', { simple: true }), 2);
      assert.equal(db.pragma('busy_timeout', { simple: true }), BUSY_TIMEOUT_MS);
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    } finally {
      db.close();
    }
  });

  test('a new database file and its WAL are readable by their owner only', async () => {
    const path = freshPath();
    const store = await openAt(path);
    try {
      await store.settings.put('name', 'value');
      for (const file of [path, `${path}-wal`]) assert.equal(statSync(file).mode & 0o777, 0o600, file);
    } finally {
      await store.close();
    }
  });

  test("':memory:' opens a throw-away store for quick tests", async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    try {
      await store.settings.put('name', 'value');
      assert.equal(await store.settings.get('name'), 'value');
    } finally {
      await store.close();
    }
  });

  test('two processes migrating and writing one new file at once lose nothing', async () => {
    const path = freshPath();
    const template = makeKey(SCOPE, 'TEMPLATE');
    const run = (worker: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD_PROCESS,
        resolve(PROJECT_ROOT, 'src/store/sqlite/open-sqlite-store.ts'), path, worker, JSON.stringify(template)],
      { cwd: PROJECT_ROOT });
    await Promise.all([run('a'), run('b')]);

    const store = await openAt(path);
    try {
      const keys = await store.keys.list(SCOPE, { limit: 100 });
      assert.equal(keys.items.length, 2 * CHILD_KEYS + 1);
      assert.equal((await store.keys.get(SCOPE, 'shared'))?.revision, 1 + 2 * CHILD_KEYS);
    } finally {
      await store.close();
    }
    const versions = inspectFile(path, (db) => db.prepare('SELECT version FROM schema_migrations').pluck().all());
    assert.deepEqual(versions, MIGRATIONS.map((migration) => migration.version));
  });

  test('reopening applies no migration twice', async () => {
    const path = freshPath();
    await (await openAt(path)).close();
    await (await openAt(path)).close();
    const db = openConnection(path);
    try {
      assert.deepEqual(migrate(db, path, () => T0), []);
      const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();
      assert.deepEqual(rows, MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: T0 })));
    } finally {
      db.close();
    }
  });

  test('migrations are numbered 1, 2, 3, ... without gaps', () => {
    assert.deepEqual(MIGRATIONS.map((m) => m.version), Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  test('a database written by a newer Strongroom is refused with a clear error, untouched', async () => {
    const path = freshPath();
    await (await openAt(path)).close();
    const newer = LATEST_SCHEMA_VERSION + 1;
    inspectFile(path, (db) =>
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(newer, 'future', T0),
    );
    await assert.rejects(openSqliteStore({ path }), (error: unknown) => {
      assert.ok(error instanceof UnsupportedSchemaVersionError);
      assert.match(error.message, new RegExp(`schema version ${newer}.*understands versions up to ${LATEST_SCHEMA_VERSION}`));
      return true;
    });
    const versions = inspectFile(path, (db) => db.prepare('SELECT version FROM schema_migrations').pluck().all());
    assert.deepEqual(versions, [...MIGRATIONS.map((migration) => migration.version), newer]);
  });

  test('a key is stored as a versioned JSON record beside its columns, enums as strings', async () => {
    const path = freshPath();
    const store = await openAt(path);
    const key = makeKey(SCOPE, 'k-1', { state: 'PendingDeletion', deletionAt: T0 + 1, pendingWindowInDays: 7 });
    await store.keys.create(key, makeMaterial(key, 'k-1-m1', { rotationType: 'AUTOMATIC' }));
    await store.close();
    const row = inspectFile(path, (db) =>
      db.prepare('SELECT state, deletion_at, revision, record FROM keys').get(),
    ) as { state: string; deletion_at: number; revision: number; record: string };
    assert.deepEqual({ ...row, record: undefined }, { state: 'PendingDeletion', deletion_at: T0 + 1, revision: 1, record: undefined });
    assert.deepEqual(JSON.parse(row.record), { schemaVersion: 1, ...key });
    const rotationType = inspectFile(path, (db) => db.prepare('SELECT rotation_type FROM key_materials').pluck().get());
    assert.equal(rotationType, 'AUTOMATIC');
  });

  test('a stored key record of an unknown version is refused on load', async () => {
    const path = freshPath();
    const store = await openAt(path);
    try {
      const key = makeKey(SCOPE, 'k-1');
      await store.keys.create(key, makeMaterial(key, 'k-1-m1'));
      inspectFile(path, (db) => db.prepare("UPDATE keys SET record = json_set(record, '$.schemaVersion', 99)").run());
      await assert.rejects(store.keys.get(SCOPE, 'k-1'), /unknown schema version 99/);
    } finally {
      await store.close();
    }
  });
});

describe('withFaults', () => {
  test('a chosen write fails before reaching the store; reads and other writes pass through', async () => {
    const store = await openAt(freshPath());
    const calls: StoreWriteMethod[] = [];
    const faulty = withFaults(store, { failOn: (method) => (calls.push(method), method === 'keys.update') });
    try {
      const key = makeKey(SCOPE, 'k-1');
      await faulty.keys.create(key, makeMaterial(key, 'k-1-m1'));
      await assert.rejects(faulty.keys.update(nextRevision(key), makeMaterial(key, 'k-1-m2')), InjectedStoreFault);
      assert.deepEqual(await faulty.keys.get(SCOPE, 'k-1'), key);
      assert.equal((await faulty.keys.listMaterials(key.arn)).length, 1);
      await faulty.settings.put('name', 'value');
      assert.equal(await store.settings.get('name'), 'value');
      assert.deepEqual(calls, ['keys.create', 'keys.update', 'settings.put']);
    } finally {
      await faulty.close();
    }
  });

  test("when: 'after' stores the write, then fails the call (a lost acknowledgement)", async () => {
    const store = await openAt(freshPath());
    const faulty = withFaults(store, { failOn: (method) => method === 'aliases.create', when: 'after' });
    try {
      const alias = makeAlias(SCOPE, 'alias/app', 'k-1');
      await assert.rejects(faulty.aliases.create(alias), (error: unknown) =>
        error instanceof InjectedStoreFault && error.method === 'aliases.create');
      assert.deepEqual(await store.aliases.get(SCOPE, 'alias/app'), alias);
    } finally {
      await faulty.close();
    }
  });
});

const CHILD_KEYS = 10;

/** One "server process": creates its own keys, then increments a shared key, retrying on conflicts. */
const CHILD_PROCESS = `
  const [modulePath, path, worker, templateJson] = process.argv.slice(1);
  const { openSqliteStore } = await import(modulePath);
  const template = JSON.parse(templateJson);
  const scope = { accountId: template.accountId, region: template.region };
  const keyNamed = (id) => ({ ...template, id, arn: template.arn.replace('TEMPLATE', id), currentMaterialId: id + '-m1' });
  const materialOf = (key) => ({ keyArn: key.arn, id: key.currentMaterialId, createdAt: 0, wrapped: Buffer.alloc(16, 7) });
  const store = await openSqliteStore({ path });
  const shared = keyNamed('shared');
  await store.keys.create(shared, materialOf(shared)).catch((error) => {
    if (error.name !== 'DuplicateError') throw error;
  });
  for (let i = 0; i < ${CHILD_KEYS}; i += 1) {
    const key = keyNamed(worker + '-' + i);
    await store.keys.create(key, materialOf(key));
    for (;;) {
      const current = await store.keys.get(scope, 'shared');
      try {
        await store.keys.update({ ...current, description: worker + i, revision: current.revision + 1 });
        break;
      } catch (error) {
        if (error.name !== 'RevisionConflictError') throw error;
      }
    }
  }
  await store.close();
`;
