import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * The first half of every job lock's key: the ASCII of "sjob", so that Strongroom's locks stay apart from
 * other applications' advisory locks in a shared database (and from the migration lock, a single 64-bit key).
 */
const JOB_LOCK_CLASS = 0x736a6f62;

/**
 * `Store.exclusively` on PostgreSQL: runs `work` while holding a session-level advisory lock named after the job,
 * on a connection kept for that purpose, so that across every node sharing the database at most one runs the
 * job at a time. A node that finds the lock taken skips the job (another node is doing it, and jobs run again
 * every minute). A node that dies mid-job loses its connection, and PostgreSQL releases the lock with it: the next
 * node to try takes over. Each step of a job is its own transaction, so a death leaves no step half done.
 *
 * @example
 *   await runExclusively(pool, 'background-jobs', () => runDueJobs(deps));
 */
export async function runExclusively<T>(pool: pg.Pool, name: string, work: () => Promise<T>): Promise<T | undefined> {
  const client = await pool.connect();
  const key = [JOB_LOCK_CLASS, jobLockNumber(name)];
  let released = false;
  // The connection may die while it only holds the lock (the server restarting): that ends the lock, not the node.
  const onLost = (): void => {};
  client.on('error', onLost);
  try {
    const taken = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS taken', key);
    if (taken.rows[0]?.taken !== true) return undefined;
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', key).catch((error: unknown) => {
        // The lock could not be given back on this connection: drop the connection, which releases it.
        released = true;
        client.release(error instanceof Error ? error : new Error('advisory unlock failed'));
      });
    }
  } finally {
    client.off('error', onLost);
    if (!released) client.release();
  }
}

/** A job name as the lock's second 32-bit half (the first 4 bytes of its SHA-256, as a signed integer). */
function jobLockNumber(name: string): number {
  return createHash('sha256').update(name).digest().readInt32BE(0);
}
