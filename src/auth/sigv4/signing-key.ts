import { createHmac } from 'node:crypto';
import { SecretBytes } from '../../crypto/secret-bytes.js';
import { evictLeastRecentlyUsed } from '../../keys/least-recently-used.js';
import { CacheCounter } from '../../observability/cache-counter.js';

/**
 * The SigV4 signing key: kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
 * "aws4_request"). Valid for one access key, day, region and service.
 */
export function deriveSigningKey(secret: SecretBytes, date: string, region: string, service: string): SecretBytes {
  const kSecret = Buffer.concat([Buffer.from('AWS4'), secret.expose()]);
  try {
    const kDate = createHmac('sha256', kSecret).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update(service).digest();
    const kSigning = createHmac('sha256', kService).update('aws4_request').digest();
    kDate.fill(0);
    kRegion.fill(0);
    kService.fill(0);
    return SecretBytes.adopt(kSigning);
  } finally {
    kSecret.fill(0);
  }
}

interface CachedKey {
  /** A copy of the secret the key was derived from: a replaced secret must not find the old key. */
  readonly secret: SecretBytes;
  readonly key: SecretBytes;
}

/**
 * Signing keys by credential scope (`accessKeyId/date/region/service/aws4_request`), so a busy client
 * costs one HMAC chain a day instead of four HMACs per request.
 *
 * Each entry remembers the secret it came from and is used only when the secret looked up for the request
 * is equal (constant-time): rotating or deleting a secret cannot leave a usable key behind. A bounded LRU:
 * a hit moves the entry to the end of the Map's insertion order, the first entry is evicted and wiped.
 *
 * @example
 *   const keys = new SigningKeyCache(1024);
 *   const key = keys.get('AKID/20150830/us-east-1/kms/aws4_request', secret, '20150830', 'us-east-1', 'kms');
 */
export class SigningKeyCache {
  readonly #entries = new Map<string, CachedKey>();
  readonly #capacity: number;
  readonly #counts: CacheCounter;

  /** `counts` may be shared by several caches (one per verifier), to be reported as one. */
  constructor(capacity = 1024, counts: CacheCounter = new CacheCounter()) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('cacheSize must be a positive integer');
    this.#capacity = capacity;
    this.#counts = counts;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The signing key for `scope`, derived from `secret` unless an entry for the same secret exists. */
  get(scope: string, secret: SecretBytes, date: string, region: string, service: string): SecretBytes {
    const cached = this.#entries.get(scope);
    if (cached !== undefined && cached.secret.equals(secret)) {
      this.#counts.hits++;
      this.#entries.delete(scope);
      this.#entries.set(scope, cached);
      return cached.key;
    }
    this.#counts.misses++;
    const key = deriveSigningKey(secret, date, region, service);
    if (cached !== undefined) this.#forget(scope, cached);
    this.#entries.set(scope, { secret: SecretBytes.copyOf(secret.expose()), key });
    evictLeastRecentlyUsed(this.#entries, this.#capacity, (evicted, entry) => this.#forget(evicted, entry));
    return key;
  }

  #forget(scope: string, entry: CachedKey): void {
    this.#entries.delete(scope);
    // Verification uses a key synchronously right after `get`, so no caller still holds an evicted one.
    entry.key.wipe();
    entry.secret.wipe();
  }
}
