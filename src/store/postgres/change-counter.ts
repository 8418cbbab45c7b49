import type pg from 'pg';
import type { ChangeGeneration } from '../cached-lookup.js';

/**
 * The database's change counter (`store_changes`, migration 2), read the way the caches in front of the key store
 * need it on a node that shares the database with others (ADR 0018).
 *
 * `catchUp()` reads the counter with a query sent *after* the call, so a commit that any node acknowledged before
 * the call is counted in what it finds. Reads are shared, one at a time: every `catchUp()` made while a read is on
 * its way waits for the next one, sent when that read is back, so under load the counter costs one round trip per
 * round trip's worth of requests, not one per request. A read already sent is never joined: it may predate the
 * caller. A failed read rejects its callers: with the database unreachable, nothing is served from memory.
 *
 * The App catches up as each request arrives, before the request looks anything up; the lookups then compare the
 * newest count read (`current()`) with their cache's, in place. After `calledStore()` (this process may have
 * written) or `forget()` (its write lost to someone else's) the next lookup reads the counter itself, as does any
 * lookup before the first catch-up.
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
  /** The read sent last, until it settles (one at a time, as group commit does for writes). */
  #inFlight: Promise<void> | undefined;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  catchUp(): Promise<void> {
    this.#next ??= this.#afterReadInFlight().then(() => {
      this.#next = undefined; // from here on, a new caller may have come after this read is sent
      const read = this.#read().then((generation) => {
        this.#latest = Math.max(this.#latest, generation);
        this.#trusted = true;
      }).finally(() => {
        if (this.#inFlight === read) this.#inFlight = undefined;
      });
      this.#inFlight = read;
      return read;
    });
    return this.#next;
  }

  /** Resolves once the read in flight (if any) settled and this event-loop turn's callers have joined. */
  async #afterReadInFlight(): Promise<void> {
    await this.#inFlight?.catch(() => undefined);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  current(): number | Promise<number> {
    return this.#trusted ? this.#latest : this.catchUp().then(() => this.#latest);
  }

  forget(): void {
    this.#trusted = false;
  }

  /** This process may have written: its next lookup reads the counter, so that it sees its own change. */
  calledStore(): void {
    this.#trusted = false;
  }

  async #read(): Promise<number> {
    // Named, so each connection parses and plans it once: it runs once per event-loop turn under load.
    const result = await this.#pool.query<{ generation: number }>({ name: 'strongroom-change-counter', text: 'SELECT generation FROM store_changes WHERE id = 1' });
    const generation = result.rows[0]?.generation;
    if (generation === undefined) throw new Error('the change counter row is missing (store_changes)');
    return generation;
  }
}
