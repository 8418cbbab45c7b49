import pg from 'pg';

/**
 * Time limits, so that a database that is down, unreachable or stuck fails a request within seconds
 * (as a generic internal error, mapped where every unexpected error is) instead of holding it forever:
 * - `CONNECT_TIMEOUT_MS`: opening a connection (TCP, TLS, authentication), and waiting for a free one in
 *   the pool — a pool exhausted by stuck queries fails callers too;
 * - `STATEMENT_TIMEOUT_MS`: the server cancels a statement running longer (`statement_timeout`, SQLSTATE 57014);
 * - `QUERY_TIMEOUT_MS`: the client gives up on an answer that never comes (a dead server or network, which
 *   cannot cancel anything); a little longer than the server's limit, so the server's clean error wins when
 *   the server is alive;
 * - `IDLE_IN_TRANSACTION_TIMEOUT_MS`: the server ends a session that left a transaction open (a crashed
 *   node's), so its row locks do not block the other nodes.
 */
export const CONNECT_TIMEOUT_MS = 5_000;
export const STATEMENT_TIMEOUT_MS = 5_000;
export const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 1_000;
const CLIENT_GRACE_MS = QUERY_TIMEOUT_MS - STATEMENT_TIMEOUT_MS;
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;

/** Connections per node; PostgreSQL's own default limit (100) then allows a handful of nodes. */
export const DEFAULT_POOL_SIZE = 10;

const INT8_OID = 20;

/**
 * `BIGINT` columns (epoch milliseconds, revisions, sequence numbers) come back as JavaScript numbers, as SQLite
 * returns them. node-postgres returns strings by default because a BIGINT may exceed 2^53; every value
 * Strongroom stores is far below that, and one that is not is refused rather than rounded.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') return parseSafeInteger;
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT ${text} is beyond JavaScript's safe integers`);
  return value;
}

export interface PoolOptions {
  readonly databaseUrl: string;
  readonly poolSize?: number;
  /** In place of `STATEMENT_TIMEOUT_MS` (migrations may run longer than a request); the client waits 1 s more. */
  readonly statementTimeoutMs?: number;
  /** Told about errors of idle connections (the pool drops those connections itself); never given the URL. */
  readonly onIdleError?: (error: Error) => void;
}

/**
 * Opens a connection pool configured for Strongroom: the time limits above, BIGINTs as numbers, and
 * PostgreSQL's default `synchronous_commit = on` left alone — a `COMMIT` returns after the commit record is
 * flushed to disk (and to synchronous standbys, if the operator configured any), so a write's promise resolves
 * only once it is durable. Connections are opened lazily, on first use.
 *
 * @example
 *   const pool = openPool({ databaseUrl: 'postgresql://strongroom@db.internal/strongroom' });
 */
export function openPool(options: PoolOptions): pg.Pool {
  const statementTimeout = options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + CLIENT_GRACE_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'strongroom',
    types,
  });
  // Without a listener, an idle connection's error (the server restarting) would crash the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
}
