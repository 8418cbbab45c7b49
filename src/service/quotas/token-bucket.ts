/**
 * A token bucket: it fills at `perSecond` tokens a second up to its capacity, one second's worth, and each
 * request takes one token. So a quota allows a burst of one second's requests, then its rate; over any interval
 * of t seconds at most `capacity + perSecond × t` requests pass. The capacity is at least one token, so a quota
 * under one a second (RSA_4096 data key pairs in China, 0.1/s) allows one request in each 1/rate seconds; a
 * quota of 0 allows nothing (for testing a client's retries).
 *
 * Time is passed in as milliseconds of a monotonic clock, so tests step it instead of waiting.
 */
export class TokenBucket {
  readonly perSecond: number;
  readonly capacity: number;
  #tokens: number;
  #filledAt: number;

  /** A full bucket (AWS's quotas start unused). */
  constructor(perSecond: number, now: number) {
    if (!(perSecond >= 0) || !Number.isFinite(perSecond)) throw new RangeError(`a token bucket needs a finite rate of 0 or more: ${perSecond}`);
    this.perSecond = perSecond;
    this.capacity = perSecond === 0 ? 0 : Math.max(1, perSecond);
    this.#tokens = this.capacity;
    this.#filledAt = now;
  }

  /** Takes up to `wanted` whole tokens and returns how many it took: 0 when the bucket holds less than one. */
  take(wanted: number, now: number): number {
    this.#fill(now);
    // A sliver under a whole token is rounding (0.1/s × 10 s), not a missing request.
    const taken = Math.min(wanted, Math.floor(this.#tokens + 1e-9));
    if (taken <= 0) return 0;
    this.#tokens = Math.max(0, this.#tokens - taken);
    return taken;
  }

  /** Whether the bucket is full at `now`: it then says nothing a new bucket would not (so it may be forgotten). */
  isFull(now: number): boolean {
    this.#fill(now);
    return this.#tokens >= this.capacity;
  }

  #fill(now: number): void {
    const elapsed = now - this.#filledAt;
    // A clock that stepped back fills nothing (and does not drain).
    if (elapsed <= 0) return;
    this.#tokens = Math.min(this.capacity, this.#tokens + (elapsed * this.perSecond) / 1000);
    this.#filledAt = now;
  }
}
