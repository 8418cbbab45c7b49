import type Database from 'better-sqlite3';
import { INDEX_HINT, runPlanSync, type SqlPlan, type SqlStatement } from '../store/audit-store.js';

/** Prepared statements per connection, by SQL text: plans are run often (every LookupEvents), with few texts. */
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * Runs an audit plan (store/audit-store.ts) on a SQLite connection, synchronously: `?` placeholders as they are,
 * `indexHint` comments as `INDEXED BY` clauses, a transaction step as an immediate transaction. What the embedded
 * backend, the in-memory trail and the synchronous readers (`lookupEvents(db, ...)`, `verifyAuditTrail(db, ...)`)
 * run plans with.
 *
 * @example
 *   const usage = runSqlitePlan(db, keyLastUsagePlan(keyArn));
 */
export function runSqlitePlan<T>(db: Database.Database, plan: SqlPlan<T>): T {
  return runPlanSync(plan, (statement) => execute(db, statement), (body) => db.transaction(body).immediate());
}

function execute(db: Database.Database, { sql, values }: SqlStatement): unknown[] {
  let cache = prepared.get(db);
  if (cache === undefined) {
    cache = new Map();
    prepared.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql.replace(INDEX_HINT, 'INDEXED BY $1'));
    cache.set(sql, statement);
  }
  if (statement.reader) return statement.all(...values);
  statement.run(...values);
  return [];
}
