import type pg from 'pg';
import type { AuditBatch, AuditStore, SqlPlan } from '../../audit-store.js';
import { openPool } from '../connection.js';
import { redactDatabaseUrl } from '../database-url.js';
import { migrate } from '../migrations/migrate.js';
import { runPostgresPlan } from './sql-port.js';

export interface PostgresAuditStoreOptions {
  /** A libpq connection string; never shown but through `redactDatabaseUrl`. */
  readonly databaseUrl: string;
  /** Connections this store keeps open at most (default `DEFAULT_POOL_SIZE`). */
  readonly poolSize?: number;
  /** Bring the schema up to date first (default true; the CLI, which only reads, does not). */
  readonly migrate?: boolean;
  /** Stamps the migrations applied. */
  readonly now?: () => number;
  /** Told about errors of idle pooled connections (the pool replaces them). */
  readonly onIdleError?: (error: Error) => void;
}

/** Columns of `audit_records` after `writer`, in the order of the arrays `append` binds. */
const RECORD_ARRAYS = `$2::bigint[], $3::bytea[], $4::bytea[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[],
  $10::text[], $11::text[], $12::text[], $13::text[], $14::text[]`;

/**
 * A batch in ONE statement, hence one round trip and one commit: the records (arrays unnested into rows), their
 * resource rows (joined to the new ids by seq) and, in the variant with a digest, the digest. Data-modifying
 * `WITH` clauses run exactly once and atomically with the statement.
 */
const INSERT_RECORDS = `
  WITH records AS (
    INSERT INTO audit_records (writer, seq, prev_hash, hash, event_json, event_time, event_id, event_name, read_only,
      username, access_key_id, event_source, account_id, error_code)
    SELECT $1::text, * FROM unnest(${RECORD_ARRAYS})
    RETURNING id, seq, event_time
  ), resources AS (
    INSERT INTO audit_resources (resource_name, event_time, record_id, resource_type)
    SELECT r.name, records.event_time, records.id, r.type
    FROM unnest($15::bigint[], $16::text[], $17::text[]) AS r (seq, name, type) JOIN records USING (seq)
    ON CONFLICT DO NOTHING
  )`;
const INSERT_DIGEST = `, digest AS (
    INSERT INTO audit_digests (writer, from_seq, to_seq, first_prev_hash, last_hash, record_hashes, time,
      prev_signature_hash, signature) VALUES ($1, $18, $19, $20, $21, $22, $23, $24, $25)
  )`;
const COUNT = ' SELECT count(*) AS records FROM records';

/**
 * The audit store on PostgreSQL, shared by every node. WHERE A RECORD BECOMES DURABLE: when the single statement
 * that inserts its batch (records, resource rows, the digest sealing them) has committed — PostgreSQL's default
 * `synchronous_commit = on` flushes the commit record (and waits for synchronous standbys, when configured) before
 * it answers; `append` resolves then. Nothing else follows: no journal, no index step; a committed record is what
 * every node's reads see next.
 *
 * A failed statement stored nothing — unless the connection was lost after the commit and before its answer; the
 * writer then re-reads its chain before its next batch (`GroupCommitOptions.resync`). Every statement is bounded by
 * the pool's timeouts (connection.ts), so an append never hangs on a database that is down.
 *
 * @example
 *   const store = await openPostgresAuditStore({ databaseUrl });
 *   await store.append({ writer, records, digest }); // committed
 *   const report = await store.run(verifyPlan(publicKeyPem));
 */
export async function openPostgresAuditStore(options: PostgresAuditStoreOptions): Promise<AuditStore & { readonly pool: pg.Pool }> {
  if (options.migrate !== false) await migrate(options.databaseUrl, redactDatabaseUrl(options.databaseUrl), options.now ?? Date.now);
  const pool = openPool({
    databaseUrl: options.databaseUrl,
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
    ...(options.onIdleError === undefined ? {} : { onIdleError: options.onIdleError }),
  });
  let closed: Promise<void> | undefined;
  return {
    backend: 'postgres',
    pool,
    async append(batch: AuditBatch): Promise<void> {
      // Named, so each connection parses and plans the statement once (two texts: with a digest and without).
      const { name, text, values } = insertStatement(batch);
      await pool.query({ name, text, values });
    },
    run: <T>(plan: SqlPlan<T>) => runPostgresPlan(pool, plan),
    close: () => (closed ??= pool.end()),
  };
}

/** The batch's statement and its values: one array per column, so the text is the same for every batch size. */
function insertStatement(batch: AuditBatch): { name: string; text: string; values: unknown[] } {
  const columns = batch.records.map((record) => record.columns());
  const resources = batch.records.flatMap((record, index) =>
    columns[index]!.resources.map((resource) => ({ seq: record.seq, ...resource })));
  const values: unknown[] = [
    batch.writer,
    batch.records.map((record) => record.seq),
    batch.records.map((record) => record.prevHash),
    batch.records.map((record) => record.hash),
    batch.records.map((record) => record.json),
    columns.map((c) => c.eventTime),
    columns.map((c) => c.eventId),
    columns.map((c) => c.eventName),
    columns.map((c) => c.readOnly),
    columns.map((c) => c.username),
    columns.map((c) => c.accessKeyId),
    columns.map((c) => c.eventSource),
    columns.map((c) => c.accountId),
    columns.map((c) => c.errorCode),
    resources.map((resource) => resource.seq),
    resources.map((resource) => resource.name),
    resources.map((resource) => resource.type),
  ];
  const digest = batch.digest;
  if (digest === undefined) return { name: 'strongroom-audit-records', text: INSERT_RECORDS + COUNT, values };
  values.push(digest.fromSeq, digest.toSeq, digest.firstPrevHash, digest.lastHash, digest.recordHashes, digest.time,
    digest.prevSignatureHash, digest.signature);
  return { name: 'strongroom-audit-records-digest', text: INSERT_RECORDS + INSERT_DIGEST + COUNT, values };
}
