import type { CompiledPolicy, PolicyKind } from './compiled-policy.js';
import { evictLeastRecentlyUsed } from '../../keys/least-recently-used.js';
import { parsePolicy } from './parse-policy.js';

/**
 * A bounded LRU of compiled policies keyed by kind and policy text, so the request path compiles each
 * distinct policy once. Stored policies were validated when written, so the cache compiles without the
 * principal-existence check (a since-deleted principal must not break evaluation of the rest).
 *
 * @example
 *   const policies = new PolicyCache(1000);
 *   const keyPolicy = policies.get(key.policy, 'key');
 */
export class PolicyCache {
  private readonly entries = new Map<string, CompiledPolicy>();

  constructor(private readonly capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('PolicyCache capacity must be a positive integer');
  }

  /** The compiled form of `text`; compiles (and may throw as `parsePolicy` does) on a miss. */
  get(text: string, kind: PolicyKind): CompiledPolicy {
    const cacheKey = `${kind}\u0000${text}`;
    const cached = this.entries.get(cacheKey);
    if (cached !== undefined) {
      // Re-insert so the Map's insertion order is recency order.
      this.entries.delete(cacheKey);
      this.entries.set(cacheKey, cached);
      return cached;
    }
    const compiled = parsePolicy(text, kind);
    this.entries.set(cacheKey, compiled);
    evictLeastRecentlyUsed(this.entries, this.capacity);
    return compiled;
  }

  get size(): number {
    return this.entries.size;
  }
}
