import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openAuditDatabase } from '../../src/audit/audit-database.js';
import { apiCallEvent } from '../../src/audit/event-builder.js';
import { openGroupCommit, type GroupCommit } from '../../src/audit/group-commit.js';
import { openJournalAuditStore } from '../../src/audit/journal-audit-store.js';
import { importAuditJournals } from '../../src/audit/journal-import.js';
import { runSqlitePlan } from '../../src/audit/sqlite-plan-runner.js';
import { createAuditSigningKey, exportAuditPublicKey } from '../../src/audit/signing-key.js';
import { verifyPlan } from '../../src/audit/verify.js';
import { storedChainPlan, WriterChain } from '../../src/audit/writer-chain.js';
import type { AuditStore, SqlPlan } from '../../src/store/audit-store.js';
import { openPostgresAuditStore } from '../../src/store/postgres/audit/postgres-audit-store.js';
import { dollarPlaceholders } from '../../src/store/postgres/audit/sql-port.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { startTestPostgres } from '../support/postgres.js';
import { CONTRACT_SIGNING_KEY, runAuditStoreContract, type AuditStorage, type WriterSettings } from './audit-contract.js';
import { T0 } from './contract/fixtures.js';
import { runStoreContract } from './store-contract.js';

/*
 * Both parts of the storage layer — the key store (store-contract.ts) and the audit store (audit-contract.ts) —
 * against both backends: SQLite (with the audit journal) and PostgreSQL. The PostgreSQL half skips, saying why,
 * when startTestPostgres() finds no PostgreSQL (and fails instead under CI). Backend-specific tests live in
 * sqlite-store.test.ts, postgres-store.test.ts and test/audit/.
 */

const directory = mkdtempSync(join(tmpdir(), 'strongroom-backends-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const postgres = await startTestPostgres();
after(() => postgres.found?.stop());
let names = 0;
const freshName = (prefix: string) => `${prefix}-${(names += 1)}`;

/** A writer as a node opens it: the trail's group commit over `store`, its chain as stored. */
function groupCommitOver(store: AuditStore, chain: WriterChain, settings: WriterSettings, resync?: () => Promise<WriterChain>): GroupCommit {
  return openGroupCommit({
    store: settings.wrapStore?.(store) ?? store,
    chain,
    privateKey: CONTRACT_SIGNING_KEY,
    now: Date.now,
    sealEvery: settings.sealEvery,
    sealIntervalMs: 3_600_000,
    ...(settings.onCommit === undefined ? {} : { onCommit: settings.onCommit }),
    ...(resync === undefined ? {} : { resync }),
  });
}

/** Closes the writer's group commit, then its store (both may be closed twice). */
function closing(commits: GroupCommit, store: AuditStore, opened: (() => Promise<void>)[]): GroupCommit {
  const close = async () => {
    try {
      await commits.close();
    } finally {
      await store.close();
    }
  };
  opened.push(close);
  return { append: (event) => commits.append(event), seal: () => commits.seal(), close };
}

// --- SQLite -------------------------------------------------------------------------------------------------------

const sqlitePathOf = new WeakMap<Store, string>();

async function openSqliteAt(path: string): Promise<Store> {
  const store = await openSqliteStore({ path, now: () => T0 });
  sqlitePathOf.set(store, path);
  return store;
}

/** The embedded audit storage: an `audit.db` with its journal directory, each writer a journal store of its own. */
async function freshJournalStorage(): Promise<AuditStorage> {
  const path = join(directory, `${freshName('audit')}.db`);
  const opened: (() => Promise<void>)[] = [];
  const withDatabase = <T>(use: (db: Database.Database) => T): T => {
    const db = openAuditDatabase(path);
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  return {
    async openWriter(settings) {
      // Indexing only when a reader asks, so that a read proves the journal, not the index, held the record.
      const store = openJournalAuditStore({ path, writerId: settings.writerId, indexWhenIdleMs: 3_600_000 });
      return closing(groupCommitOver(store, WriterChain.fromStored(store.storedChain, Date.now()), settings), store, opened);
    },
    // As another process reads: every journal imported first, then a connection of its own.
    async read<T>(plan: SqlPlan<T>): Promise<T> {
      importAuditJournals(path);
      return withDatabase((db) => runSqlitePlan(db, plan));
    },
    async tamper(sql, ...values) {
      withDatabase((db) => db.prepare(sql).run(...values));
    },
    async close() {
      for (const close of opened) await close();
    },
  };
}

runStoreContract('SQLite', () => openSqliteAt(join(directory, `${freshName('store')}.db`)), (closed) => {
  const path = sqlitePathOf.get(closed);
  if (path === undefined) throw new Error('reopen of a store this test did not open');
  return openSqliteAt(path);
});
runAuditStoreContract('SQLite (journal + audit.db)', freshJournalStorage);

// --- PostgreSQL ---------------------------------------------------------------------------------------------------

describe('PostgreSQL', { skip: postgres.skip }, () => {
  /** Every store of this run lives in a schema of its own, named with this prefix, all dropped at the end. */
  const run = `strongroom_backends_${randomBytes(4).toString('hex')}`;
  const schemas: string[] = [];
  const urlOf = new WeakMap<Store, string>();
  let admin: pg.Client | undefined;

  before(async () => {
    admin = new pg.Client({ connectionString: postgres.found?.url });
    await admin.connect();
  });
  after(async () => {
    try {
      // One at a time: dropping them all in one statement locks every table at once (max_locks_per_transaction).
      for (const schema of schemas) await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await admin?.end();
    }
  });

  /** A URL whose `search_path` is a new, empty schema, as an operator would choose one. */
  async function freshUrl(): Promise<string> {
    const schema = `${run}_${schemas.length + 1}`;
    schemas.push(schema);
    await admin?.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(postgres.found?.url ?? 'postgresql:///');
    url.searchParams.set('options', `-c search_path=${schema}`);
    return url.toString();
  }

  async function openPostgresAt(databaseUrl: string): Promise<Store> {
    const store = await openPostgresStore({ databaseUrl, now: () => T0, poolSize: 4 });
    urlOf.set(store, databaseUrl);
    return store;
  }

  /** One schema; each writer a store (a pool) of its own, as each node has; reads on another pool. */
  async function freshDatabaseStorage(): Promise<AuditStorage> {
    const databaseUrl = await freshUrl();
    const opened: (() => Promise<void>)[] = [];
    let reader: AuditStore | undefined;
    return {
      async openWriter(settings) {
        const store = await openPostgresAuditStore({ databaseUrl, poolSize: 2 });
        const readChain = async () => WriterChain.fromStored(await store.run(storedChainPlan(settings.writerId)), Date.now());
        return closing(groupCommitOver(store, await readChain(), settings, readChain), store, opened);
      },
      async read<T>(plan: SqlPlan<T>): Promise<T> {
        reader ??= await openPostgresAuditStore({ databaseUrl, poolSize: 2 });
        return reader.run(plan);
      },
      async tamper(sql, ...values) {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          await client.query(dollarPlaceholders(sql), values);
        } finally {
          await client.end();
        }
      },
      async close() {
        for (const close of opened) await close();
        await reader?.close();
      },
    };
  }

  runStoreContract('PostgreSQL', async () => openPostgresAt(await freshUrl()), (closed) => {
    const databaseUrl = urlOf.get(closed);
    if (databaseUrl === undefined) throw new Error('reopen of a store this test did not open');
    return openPostgresAt(databaseUrl);
  });
  runAuditStoreContract('PostgreSQL', freshDatabaseStorage);

  describe('PostgreSQL audit store specifics', () => {
    const { privateKey } = createAuditSigningKey();
    const event = (n: number) => apiCallEvent({
      operation: 'Decrypt', readOnly: true, time: T0 + n, region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'test',
      requestId: `req-${n}`, eventId: `evt-${n}`, recipientAccountId: '111122223333',
      identity: { type: 'IAMUser', accountId: '111122223333', userName: 'alice' }, keyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'],
    });

    test('a commit whose answer was lost: the append fails, the writer re-reads its chain, and the trail still verifies', async () => {
      const databaseUrl = await freshUrl();
      const store = await openPostgresAuditStore({ databaseUrl, poolSize: 2 });
      let loseAnswer = false;
      const losing: AuditStore = {
        ...store,
        async append(batch) {
          await store.append(batch);
          if (loseAnswer) {
            loseAnswer = false;
            throw new Error('injected: the connection closed after COMMIT');
          }
        },
      };
      const readChain = async () => WriterChain.fromStored(await store.run(storedChainPlan('node-1')), Date.now());
      const commits = openGroupCommit({ store: losing, chain: await readChain(), privateKey, now: Date.now, sealEvery: 2, resync: readChain });
      try {
        await commits.append(event(1));
        loseAnswer = true;
        await assert.rejects(commits.append(event(2)), { name: 'AuditWriteError' });
        await commits.append(event(3));
        await commits.close();
        const report = await store.run(verifyPlan(exportAuditPublicKey(privateKey)));
        assert.deepEqual(report.problems, []);
        assert.deepEqual(report.writers.map((w) => [w.writer, w.records, w.sealedThrough]), [['node-1', 3, 3]], 'the record of the lost answer is kept, once');
      } finally {
        await commits.close();
        await store.close();
      }
    });

    test('an append to a database that is gone rejects within the pool\'s timeouts, never hangs', async () => {
      const nowhere = `postgresql:///postgres?host=${encodeURIComponent('/nonexistent/strongroom')}&user=nobody`;
      const store = await openPostgresAuditStore({ databaseUrl: nowhere, migrate: false, poolSize: 1 });
      const commits = openGroupCommit({ store, chain: WriterChain.fromStored({ writer: 'w', marker: undefined, lastDigest: undefined, last: undefined, unsealed: [] }, 0), privateKey, now: Date.now });
      try {
        await assert.rejects(commits.append(event(1)), { name: 'AuditWriteError' });
      } finally {
        await store.close();
      }
    });
  });
});
