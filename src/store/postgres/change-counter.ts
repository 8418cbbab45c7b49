import type pg from 'pg';
import type { ChangeGeneration } from '../cached-lookup.js';

/**
 * The database's change counter (`store_changes`, migration 2), read the way the caches in front of the key store
 * need it on a node that shares the database with others (ADR 0018).
 *
 * `catchUp()` reads the counter with a query sent *after* the call, so a commit that any node acknowledged before
 * the call is counted in what it finds. Reads are shared: every `catchUp()` made before the next read is sent (in
 * practice, every request that arrived in the same event-loop turn) waits for that one read, so under load the
 * counter costs one round trip per turn, not one per request. A read already sent is never joined: it may predate
 * the caller. A failed read rejects its callers: with the database unreachable, nothing is served from memory.
 *
 * The App catches up as each request arrives, before the request looks anything up; the lookups then compare the
 * newest count read (`current()`) with their cache's, in place. After `forget()` (a write failed: someone else
 * changed the database) the next lookup reads the counter itself, as does any lookup before the first catch-up.
 *
 * @example
 *   const counter = new ChangeCounter(pool);
 *   await counter.catchUp(); // as a request arrives
 *   counter.current();       // the count its lookups check their caches against
 */
export class ChangeCounter implements ChangeGeneration {
  readonly #pool: pg.Pool;
  /** The highest count read; reads that overtake each other never move it back. */
  #latest = -1;
  /** Whether `#latest` may serve lookups without a read of their own. */
  #trusted = false;
  /** The read that callers join: not sent yet. */
  #next: Promise<void> | undefined;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  catchUp(): Promise<void> {
    this.#next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      this.#next = undefined; // from here on, a new caller may have come after this read is sent
      const generation = await this.#read();
      this.#latest = Math.max(this.#latest, generation);
      this.#trusted = true;
    });
    return this.#next;
  }

  current(): number | Promise<number> {
    return this.#trusted ? this.#latest : this.catchUp().then(() => this.#latest);
  }

  forget(): void {
    this.#trusted = false;
  }

  async #read(): Promise<number> {
    const result = await this.#pool.query<{ generation: number }>('SELECT generation FROM store_changes WHERE id = 1');
    const generation = result.rows[0]?.generation;
    if (generation === undefined) throw new Error('the change counter row is missing (store_changes)');
    return generation;
  }
}
