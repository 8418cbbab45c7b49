import { createHash, createHmac } from 'node:crypto';
import type { SecretBytes } from '../../crypto/secret-bytes.js';

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(secret: SecretBytes, date: string, region: string, service: string): Buffer {
  const kSecret = Buffer.concat([Buffer.from('AWS4'), secret.expose()]);
  try {
    const kDate = createHmac('sha256', kSecret).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update(service).digest();
    return createHmac('sha256', kService).update('aws4_request').digest();
  } finally {
    kSecret.fill(0);
  }
}

/**
 * Signing keys by access key, day, region and service, so a busy client costs one HMAC per request instead of
 * five. Entries are keyed by a digest of the secret as well, so a replaced secret never finds the old key.
 * Bounded: the least recently inserted entries go first (Map insertion order).
 */
export class SigningKeyCache {
  readonly #entries = new Map<string, Buffer>();
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  get(accessKeyId: string, secret: SecretBytes, date: string, region: string, service: string): Buffer {
    const fingerprint = createHash('sha256').update(secret.expose()).digest('base64');
    const cacheKey = `${accessKeyId}\n${fingerprint}\n${date}\n${region}\n${service}`;
    let key = this.#entries.get(cacheKey);
    if (!key) {
      key = deriveSigningKey(secret, date, region, service);
      if (this.#entries.size >= this.#capacity) {
        const oldest = this.#entries.keys().next().value;
        if (oldest !== undefined) this.#entries.delete(oldest);
      }
      this.#entries.set(cacheKey, key);
    }
    return key;
  }
}
