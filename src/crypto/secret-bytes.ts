import { randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTED = '[SecretBytes redacted]';

/**
 * Secret bytes (key material, data keys, plaintext) behind a type that cannot be logged or serialised by
 * accident: `toString`, `toJSON` and `util.inspect` print a placeholder, and the bytes are reachable only
 * through `expose()`, whose name makes every use visible in review.
 *
 * @example
 *   const key = SecretBytes.random(32);
 *   const tag = hmac(key.expose(), data);
 */
export class SecretBytes {
  readonly #bytes: Buffer;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** Takes ownership of `bytes`: the caller must not keep or reuse the buffer. */
  static adopt(bytes: Buffer): SecretBytes {
    return new SecretBytes(bytes);
  }

  /** A copy of `bytes`, so the caller may wipe its own buffer. */
  static copyOf(bytes: Uint8Array): SecretBytes {
    return new SecretBytes(Buffer.from(bytes));
  }

  static random(length: number): SecretBytes {
    return new SecretBytes(randomBytes(length));
  }

  get length(): number {
    return this.#bytes.length;
  }

  /** The secret itself. Never log, store or return what this gives you unless that is the point. */
  expose(): Buffer {
    return this.#bytes;
  }

  /** Constant-time equality. */
  equals(other: SecretBytes): boolean {
    return this.#bytes.length === other.#bytes.length && timingSafeEqual(this.#bytes, other.#bytes);
  }

  /** Overwrites the bytes with zeros; use when a secret's life ends (data keys after they are sent). */
  wipe(): void {
    this.#bytes.fill(0);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
