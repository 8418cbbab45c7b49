import type { QuotaTable } from './quota-table.js';
import { TokenBucket } from './token-bucket.js';

/**
 * The token buckets of one node: one per account, region and quota, made on first use with the table's rate.
 * A single serving process takes from them directly; with workers, the primary owns them and leases tokens out.
 *
 * Accounts and regions come from requests, so the number of buckets is bounded by forgetting full ones: a full
 * bucket behaves exactly as a new one would, so dropping it changes nothing.
 */
export class QuotaBuckets {
  readonly #table: QuotaTable;
  readonly #now: () => number;
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #sweepFrom: number;
  #sweepAt: number;

  /** `now`: milliseconds of a monotonic clock. Buckets are swept once there are more than `sweepAbove`. */
  constructor(table: QuotaTable, now: () => number, sweepAbove = 10_000) {
    this.#table = table;
    this.#now = now;
    this.#sweepFrom = sweepAbove;
    this.#sweepAt = sweepAbove;
  }

  /**
   * Takes up to `wanted` tokens of the quota for this account and region; returns how many it took (0: the
   * quota is used up). A name the table does not know takes nothing and limits nothing (returns `wanted`).
   */
  take(accountId: string, region: string, quotaName: string, wanted: number): number {
    const now = this.#now();
    const key = `${accountId}\u0000${region}\u0000${quotaName}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      const perSecond = this.#table.perSecond(quotaName, region);
      if (perSecond === undefined) return wanted;
      if (this.#buckets.size >= this.#sweepAt) this.#sweep(now);
      bucket = new TokenBucket(perSecond, now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take(wanted, now);
  }

  /** How many buckets are held (for tests of the sweep). */
  get size(): number {
    return this.#buckets.size;
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) if (bucket.isFull(now)) this.#buckets.delete(key);
    // When few were full, the next sweep waits until the map has doubled: sweeping stays O(1) per bucket made.
    this.#sweepAt = Math.max(this.#sweepFrom, 2 * this.#buckets.size);
  }
}
