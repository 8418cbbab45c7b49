import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/postgres/migrations/migrate.js';
import {
  UnsupportedSchemaVersionError, openPostgresStore, redactDatabaseUrl,
} from '../../src/store/postgres/open-postgres-store.js';
import { RevisionConflictError, type Store } from '../../src/store/store.js';
import { startTestPostgres } from '../support/postgres.js';
import { SCOPE, T0, makeAccessKey, makeKey, makeMaterial, nextRevision } from './contract/fixtures.js';

const postgres = await startTestPostgres();
after(() => postgres.found?.stop());

/** Every store of this run lives in a schema of its own, named with this prefix, all dropped at the end. */
const RUN = `strongroom_test_${randomBytes(4).toString('hex')}`;
let schemas = 0;
let admin: pg.Client | undefined;

/** The test database's URL with `search_path` set to `schema`, as an operator would choose a schema. */
function urlForSchema(schema: string): string {
  const url = new URL(postgres.found?.url ?? 'postgresql:///');
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

async function freshUrl(): Promise<string> {
  schemas += 1;
  const schema = `${RUN}_${schemas}`;
  await admin?.query(`CREATE SCHEMA ${schema}`);
  return urlForSchema(schema);
}

async function openAt(databaseUrl: string): Promise<Store> {
  const store = await openPostgresStore({ databaseUrl, now: () => T0, poolSize: 4 });
  return store;
}

async function query<T extends pg.QueryResultRow>(databaseUrl: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL', { skip: postgres.skip }, () => {
  before(async () => {
    admin = new pg.Client({ connectionString: postgres.found?.url });
    await admin.connect();
  });
  after(async () => {
    const names = Array.from({ length: schemas }, (_, index) => `${RUN}_${index + 1}`);
    if (names.length > 0) await admin?.query(`DROP SCHEMA IF EXISTS ${names.join(', ')} CASCADE`);
    await admin?.end();
  });

  // The storage contract itself runs from storage-backends.test.ts, beside SQLite's and the audit store's.

  describe('PostgreSQL store specifics', () => {
    test('a reset by one node runs the other node\'s listeners before its next key or access key lookup returns', async () => {
      const databaseUrl = await freshUrl();
      const [resetting, other] = [await openAt(databaseUrl), await openAt(databaseUrl)];
      try {
        let calls = 0;
        other.onStateCleared(() => (calls += 1));
        const key = makeKey(SCOPE, 'k-1');
        await resetting.keys.create(key, makeMaterial(key, 'k-1-m1'));
        assert.deepEqual(await other.keys.get(SCOPE, 'k-1'), key);
        await resetting.clearState();
        assert.equal(calls, 0, 'not told directly');
        await other.catchUp(); // as the other node's next request arrives
        assert.equal(await other.keys.get(SCOPE, 'k-1'), undefined);
        assert.equal(calls, 1);
        await resetting.clearState();
        await other.catchUp();
        assert.equal(await other.identities.getAccessKey('AKIAUNKNOWN000000001'), undefined);
        assert.equal(calls, 2);
        await other.catchUp();
        await other.keys.get(SCOPE, 'k-1');
        assert.equal(calls, 2, 'each reset seen once');
      } finally {
        await resetting.close();
        await other.close();
      }
    });

    test('nodes starting at once migrate once; concurrent increments of one key lose nothing', async () => {
      const databaseUrl = await freshUrl();
      const stores = await Promise.all([openAt(databaseUrl), openAt(databaseUrl), openAt(databaseUrl)]);
      try {
        const key = makeKey(SCOPE, 'shared');
        await stores[0]!.keys.create(key, makeMaterial(key, 'shared-m1'));
        const increment = async (store: Store) => {
          for (;;) {
            const current = await store.keys.get(SCOPE, 'shared');
            assert.ok(current !== undefined);
            try {
              return await store.keys.update(nextRevision(current));
            } catch (error) {
              if (!(error instanceof RevisionConflictError)) throw error;
            }
          }
        };
        await Promise.all(stores.flatMap((store) => Array.from({ length: 5 }, () => increment(store))));
        await stores[1]!.catchUp();
        assert.equal((await stores[1]!.keys.get(SCOPE, 'shared'))?.revision, 1 + 3 * 5);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
      const versions = await query<{ version: number }>(databaseUrl, 'SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(versions.map((row) => row.version), MIGRATIONS.map((migration) => migration.version));
    });

    test('migrations are numbered 1, 2, 3, ... without gaps', () => {
      assert.deepEqual(MIGRATIONS.map((m) => m.version), Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
    });

    test('a database written by a newer Strongroom is refused with a clear error, untouched', async () => {
      const databaseUrl = await freshUrl();
      await (await openAt(databaseUrl)).close();
      const newer = LATEST_SCHEMA_VERSION + 1;
      await query(databaseUrl, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', $2)", [newer, T0]);
      await assert.rejects(openPostgresStore({ databaseUrl }), (error: unknown) => {
        assert.ok(error instanceof UnsupportedSchemaVersionError);
        assert.match(error.message, new RegExp(`schema version ${newer}.*understands versions up to ${LATEST_SCHEMA_VERSION}`));
        return true;
      });
      const versions = await query<{ version: number }>(databaseUrl, 'SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(versions.map((row) => row.version), [...MIGRATIONS.map((migration) => migration.version), newer]);
    });

    test('keys are stored as versioned JSON records beside their columns, enums as strings, bytes as BYTEA', async () => {
      const databaseUrl = await freshUrl();
      const store = await openAt(databaseUrl);
      const key = makeKey(SCOPE, 'k-1', { state: 'PendingDeletion', deletionAt: T0 + 1, pendingWindowInDays: 7 });
      const material = makeMaterial(key, 'k-1-m1', { rotationType: 'AUTOMATIC' });
      const accessKey = makeAccessKey('AKIASTORED0000000001');
      try {
        await store.keys.create(key, material);
        await store.identities.createAccessKey(accessKey);
      } finally {
        await store.close();
      }
      const [row] = await query<{ state: string; deletion_at: string; revision: string; record: string }>(
        databaseUrl, 'SELECT state, deletion_at, revision, record FROM keys',
      );
      // A plain client (not the store's pool) returns BIGINT columns as text.
      assert.deepEqual({ ...row, record: undefined }, { state: 'PendingDeletion', deletion_at: String(T0 + 1), revision: '1', record: undefined });
      assert.deepEqual(JSON.parse(row?.record ?? ''), { schemaVersion: 1, ...key });
      const [stored] = await query<{ rotation_type: string; wrapped: Buffer }>(databaseUrl, 'SELECT rotation_type, wrapped FROM key_materials');
      assert.deepEqual(stored, { rotation_type: 'AUTOMATIC', wrapped: material.wrapped });
    });

    test('an unreachable database fails opening with an error, not a hang', async () => {
      const nowhere = `postgresql:///postgres?host=${encodeURIComponent('/nonexistent/strongroom')}&user=nobody`;
      await assert.rejects(openPostgresStore({ databaseUrl: nowhere }));
    });
  });
});

describe('redactDatabaseUrl', () => {
  test('hides the password of a URL and keeps where it points', () => {
    assert.equal(
      redactDatabaseUrl('postgresql://kms:s3cret@db.internal:5432/strongroom?sslmode=verify-full'),
      'postgresql://kms:****@db.internal:5432/strongroom?sslmode=verify-full',
    );
    assert.equal(redactDatabaseUrl('postgres://db.internal/strongroom'), 'postgres://db.internal/strongroom');
  });

  test('hides passwords given as query parameters or keyword/value pairs, whatever their quoting', () => {
    const redacted = [
      redactDatabaseUrl('postgresql://kms@db/strongroom?password=s3cret&sslpassword=s3cret'),
      redactDatabaseUrl("host=db password='s3 cret\\' x' user=kms"),
      redactDatabaseUrl('host=db PASSWORD = s3cret'),
    ];
    for (const text of redacted) assert.doesNotMatch(text, /s3/);
    assert.equal(redacted[1], 'host=db password=**** user=kms');
  });

  test('an unparseable URL shows no more than its scheme', () => {
    assert.equal(redactDatabaseUrl('postgresql://kms:s3cret@[db/strongroom'), 'postgresql://****');
  });
});
