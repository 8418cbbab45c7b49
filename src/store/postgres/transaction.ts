import type pg from 'pg';

/**
 * Runs `body` in one transaction on one pooled connection: `BEGIN`, the body, `COMMIT` — the returned promise
 * resolves only after `COMMIT` has returned, i.e. once the change is durable. Any failure rolls back and
 * rejects with the original error.
 *
 * A connection that cannot even roll back (a broken socket, a server gone) is discarded rather than returned
 * to the pool. Waiting for that `ROLLBACK` is bounded by the query timeout (`connection.ts`).
 *
 * @example
 *   await inTransaction(pool, async (client) => {
 *     await client.query('DELETE FROM aliases WHERE ...', [...]);
 *     await client.query('DELETE FROM keys WHERE ...', [...]);
 *   });
 */
export async function inTransaction<T>(pool: pg.Pool, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await body(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').then(
      () => client.release(),
      (rollbackFailure: unknown) => client.release(rollbackFailure instanceof Error ? rollbackFailure : true),
    );
    throw error;
  }
}
