import type { KeySpec } from '../../keys/key-spec.js';
import { isLeaseGrant, leaseSize, MAX_LEASE, type LeaseRequest } from './quota-lease.js';
import type { QuotaTable } from './quota-table.js';
import { quotaNameOf } from './quota-table.js';
import { throttled, type RequestQuotas } from './request-quotas.js';

/** Leased tokens not used within this long are dropped, so a lease never carries a burst into a later second. */
export const LEASE_LIFETIME_MS = 1000;
/** A request waits this long for the primary's answer, then is throttled (a primary that busy is overloaded). */
export const LEASE_ANSWER_TIMEOUT_MS = 2000;
/** Leases kept before expired ones are swept (accounts and regions come from requests). */
const SWEEP_LEASES_ABOVE = 10_000;
/**
 * Leases of at least this many tokens ask for the next one when a quarter is left, so that under steady load
 * no request waits for IPC. Smaller ones (quotas under 200/s) ask only when empty: a token fetched ahead would
 * sit idle here while another worker is throttled, and a low quota is meant to be exact.
 */
const PREFETCH_FROM_LEASE_SIZE = 4;

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/** What this worker holds of one account's quota in one region. */
interface Lease {
  readonly key: string;
  readonly accountId: string;
  readonly region: string;
  readonly quotaName: string;
  /** How many tokens one request to the primary asks for. */
  readonly size: number;
  /** Ask for the next lease when this many tokens are left (-1: only when a request finds none). */
  readonly askAt: number;
  tokens: number;
  expiresAt: number;
  /** Requests waiting for the primary's answer, in arrival order (only while asking). */
  readonly waiters: Waiter[];
  asking: boolean;
}

interface Asked {
  readonly lease: Lease;
  readonly wanted: number;
  readonly timer: NodeJS.Timeout;
}

/**
 * A worker's request quotas: tokens leased from the primary's buckets in batches (`leaseSize`), so the hot path
 * is a local decrement and IPC happens once per lease. Requests that find the lease empty wait for one answer
 * together; what the primary could not grant is throttled. See docs/adr/0014-request-quotas.md.
 */
export class LeasedRequestQuotas implements RequestQuotas {
  readonly #table: QuotaTable;
  readonly #send: (request: LeaseRequest) => void;
  readonly #now: () => number;
  readonly #leases = new Map<string, Lease>();
  readonly #asked = new Map<number, Asked>();
  #nextId = 0;
  #sweepAt = SWEEP_LEASES_ABOVE;

  /**
   * @param send delivers a request to the primary (node:cluster: `process.send`); its answers go to `receive`.
   * @param now milliseconds of a monotonic clock.
   */
  constructor(table: QuotaTable, send: (request: LeaseRequest) => void, now: () => number) {
    this.#table = table;
    this.#send = send;
    this.#now = now;
  }

  take(accountId: string, region: string, operation: string, keySpec?: KeySpec, keyPairSpec?: string): Promise<void> | undefined {
    const quotaName = quotaNameOf(operation, keySpec, keyPairSpec);
    if (quotaName === undefined) return undefined;
    const key = `${accountId}\u0000${region}\u0000${quotaName}`;
    const lease = this.#leases.get(key) ?? this.#newLease(key, accountId, region, quotaName);
    if (lease.tokens > 0) {
      if (this.#now() < lease.expiresAt) {
        // Tokens in hand mean nobody waits: requests wait only on an empty lease.
        lease.tokens -= 1;
        if (lease.asking) return undefined;
        if (lease.tokens <= lease.askAt) this.#ask(lease);
        else if (lease.tokens === 0) this.#leases.delete(key);
        return undefined;
      }
      lease.tokens = 0;
    }
    return new Promise<void>((resolve, reject) => {
      lease.waiters.push({ resolve, reject });
      if (!lease.asking) this.#ask(lease);
    });
  }

  /** Takes the primary's answers (any other message is not this module's and is ignored). */
  receive(message: unknown): void {
    if (!isLeaseGrant(message)) return;
    const asked = this.#asked.get(message.id);
    if (!asked) return;
    this.#asked.delete(message.id);
    clearTimeout(asked.timer);
    const { lease, wanted } = asked;
    lease.asking = false;
    let granted = Math.min(message.granted, wanted);
    while (granted > 0 && lease.waiters.length > 0) {
      lease.waiters.shift()!.resolve();
      granted -= 1;
    }
    if (granted > 0) {
      lease.tokens += granted;
      lease.expiresAt = this.#now() + LEASE_LIFETIME_MS;
    }
    if (lease.waiters.length > 0) {
      // Fewer than asked for: the bucket is empty, and so is the quota for everyone still waiting. All granted
      // but more came while asking: ask again for them.
      if (message.granted < wanted) this.#fail(lease, throttled());
      else this.#ask(lease);
    }
    this.#forgetIfEmpty(lease);
  }

  /** Fails every waiting request (the channel to the primary closed: it cannot answer any more). */
  close(error: Error): void {
    for (const asked of this.#asked.values()) {
      clearTimeout(asked.timer);
      this.#fail(asked.lease, error);
    }
    this.#asked.clear();
    this.#leases.clear();
  }

  #newLease(key: string, accountId: string, region: string, quotaName: string): Lease {
    if (this.#leases.size >= this.#sweepAt) this.#sweep();
    const size = leaseSize(this.#table.perSecond(quotaName, region) ?? 0);
    const askAt = size >= PREFETCH_FROM_LEASE_SIZE ? Math.floor(size / 4) : -1;
    const lease: Lease = { key, accountId, region, quotaName, size, askAt, tokens: 0, expiresAt: 0, waiters: [], asking: false };
    this.#leases.set(key, lease);
    return lease;
  }

  /** Drops leases that expired and wait for nothing. */
  #sweep(): void {
    const now = this.#now();
    for (const [key, lease] of this.#leases) if (!lease.asking && now >= lease.expiresAt) this.#leases.delete(key);
    this.#sweepAt = Math.max(SWEEP_LEASES_ABOVE, 2 * this.#leases.size);
  }

  #ask(lease: Lease): void {
    const id = ++this.#nextId;
    const wanted = Math.min(MAX_LEASE, Math.max(lease.size, lease.waiters.length));
    const { accountId, region, quotaName } = lease;
    const timer = setTimeout(() => this.#timedOut(id), LEASE_ANSWER_TIMEOUT_MS);
    timer.unref();
    lease.asking = true;
    this.#asked.set(id, { lease, wanted, timer });
    try {
      this.#send({ type: 'quota-lease', id, accountId, region, quotaName, wanted });
    } catch (error) {
      this.#asked.delete(id);
      clearTimeout(timer);
      this.#fail(lease, error instanceof Error ? error : new Error(String(error)));
      this.#forgetIfEmpty(lease);
    }
  }

  #timedOut(id: number): void {
    const asked = this.#asked.get(id);
    if (!asked) return;
    this.#asked.delete(id);
    this.#fail(asked.lease, throttled());
    this.#forgetIfEmpty(asked.lease);
  }

  #fail(lease: Lease, error: Error): void {
    lease.asking = false;
    for (const waiter of lease.waiters.splice(0)) waiter.reject(error);
  }

  #forgetIfEmpty(lease: Lease): void {
    if (lease.tokens === 0 && !lease.asking && this.#leases.get(lease.key) === lease) this.#leases.delete(lease.key);
  }
}
