import type { AsymmetricKeyPair } from './generate-fresh-key-pair.js';

export type RsaKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';

export interface RsaKeyPoolOptions {
  /** How many pre-generated pairs to keep per RSA size (0 turns pooling off). */
  readonly targetPerSpec: number;
  /** Generates one fresh pair; off the event loop. */
  readonly generate: (spec: RsaKeySpec) => Promise<AsymmetricKeyPair>;
  /** Where a failed background generation is reported (nothing secret is in the error). */
  readonly onBackgroundError?: (error: unknown) => void;
}

/**
 * A small, bounded pool of pre-generated RSA key pairs per size, so CreateKey for RSA_4096 answers in
 * milliseconds instead of ~1.2 s. Lazy: a size's pool starts filling the first time that size is asked for.
 * Refilling runs one generation at a time per size in the background (on the threadpool), so it never
 * takes more than three of libuv's four threads. Each pair is handed out once and never kept.
 *
 * `close()` stops refilling, waits for generations already running (they cannot be cancelled) and wipes
 * every pooled private key, so tests and servers exit cleanly.
 */
export class RsaKeyPool {
  readonly #options: RsaKeyPoolOptions;
  readonly #ready = new Map<RsaKeySpec, AsymmetricKeyPair[]>();
  readonly #refilling = new Map<RsaKeySpec, Promise<void>>();
  #closed = false;

  constructor(options: RsaKeyPoolOptions) {
    this.#options = options;
  }

  /** How many pairs of `spec` are ready now (for metrics and tests). */
  available(spec: RsaKeySpec): number {
    return this.#ready.get(spec)?.length ?? 0;
  }

  /** A pooled pair if one is ready, otherwise a fresh one; either way the pool refills behind it. */
  async take(spec: RsaKeySpec): Promise<AsymmetricKeyPair> {
    if (this.#closed) throw new Error('The RSA key pool is closed');
    const pooled = this.#ready.get(spec)?.shift();
    this.#startRefill(spec);
    return pooled ?? this.#options.generate(spec);
  }

  /** Starts filling the pool of `spec` ahead of the first request (optional). */
  warm(spec: RsaKeySpec): void {
    if (!this.#closed) this.#startRefill(spec);
  }

  /** Resolves once every running refill has finished (tests use it to wait for a full pool). */
  async idle(): Promise<void> {
    await Promise.all(this.#refilling.values());
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.idle();
    for (const pairs of this.#ready.values()) for (const pair of pairs.splice(0)) pair.privateKey.wipe();
  }

  #startRefill(spec: RsaKeySpec): void {
    if (this.#options.targetPerSpec <= 0 || this.#refilling.has(spec)) return;
    // Registered before the loop starts (in a microtask), so the loop's own deregistration — which happens
    // in the same synchronous step as its final "is the pool full?" check — can never be lost.
    this.#refilling.set(spec, Promise.resolve().then(() => this.#refill(spec)));
  }

  async #refill(spec: RsaKeySpec): Promise<void> {
    const ready = this.#ready.get(spec) ?? [];
    this.#ready.set(spec, ready);
    try {
      while (!this.#closed && ready.length < this.#options.targetPerSpec) {
        const pair = await this.#options.generate(spec);
        if (this.#closed) pair.privateKey.wipe();
        else ready.push(pair);
      }
    } catch (error) {
      // Try again on the next take rather than spin on a failing generator.
      this.#options.onBackgroundError?.(error);
    } finally {
      this.#refilling.delete(spec);
    }
  }
}
