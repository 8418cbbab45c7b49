import type pg from 'pg';
import { runPlan, type SqlPlan, type SqlStatement } from '../../audit-store.js';
import { inTransaction } from '../transaction.js';

/**
 * The advisory lock every audit transaction takes first (retention's removals): one 64-bit number, the ASCII of
 * "stronaud". Two nodes (or a node and the CLI) removing the same writer's segments take turns, and each then
 * finds the marker the other left (retention.ts checks it), instead of both deleting under READ COMMITTED.
 */
export const AUDIT_CHANGE_LOCK_ID = 0x7374726f6e617564n;

/** `?` placeholders as PostgreSQL's `$1, $2, ...`, by SQL text (plans use a handful of texts, many times). */
const converted = new Map<string, string>();

/**
 * `?` → `$n`. The shared audit SQL has no `?` inside literals or identifiers (values are always bound), so every
 * `?` is a placeholder.
 */
export function dollarPlaceholders(sql: string): string {
  let text = converted.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${(n += 1)}`);
    if (converted.size < 1000) converted.set(sql, text);
  }
  return text;
}

async function execute(client: pg.Pool | pg.PoolClient, statement: SqlStatement): Promise<unknown[]> {
  const result = await client.query(dollarPlaceholders(statement.sql), [...statement.values]);
  return result.rows as unknown[];
}

/**
 * Runs an audit plan (store/audit-store.ts) on a pool: each statement on its own (autocommit, each sees every
 * commit before it), each transaction step on one connection between `BEGIN` and `COMMIT`, after taking
 * `AUDIT_CHANGE_LOCK_ID`. A node dying mid-transaction leaves nothing of it (PostgreSQL rolls it back).
 *
 * @example
 *   const report = await runPostgresPlan(pool, verifyPlan(publicKeyPem));
 */
export function runPostgresPlan<T>(pool: pg.Pool, plan: SqlPlan<T>): Promise<T> {
  return runPlan(plan, (statement) => execute(pool, statement), (body) => inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHANGE_LOCK_ID.toString()]);
    return body((statement) => execute(client, statement));
  }));
}
