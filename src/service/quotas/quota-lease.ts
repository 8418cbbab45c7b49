/**
 * The lease protocol between workers and the primary, over node:cluster's IPC channel (any channel that carries
 * JSON-like messages in order). A worker asks for `wanted` tokens of one account's quota in one region; the
 * primary takes up to that many from its bucket and answers how many it took. Each request has an id, so answers
 * may come in any order. See docs/adr/0014-request-quotas.md.
 */
import type { QuotaBuckets } from './quota-buckets.js';

export interface LeaseRequest {
  readonly type: 'quota-lease';
  readonly id: number;
  readonly accountId: string;
  readonly region: string;
  readonly quotaName: string;
  readonly wanted: number;
}

export interface LeaseGrant {
  readonly type: 'quota-grant';
  readonly id: number;
  readonly granted: number;
}

/** A lease never asks for more than this (a quota of 100,000/s leases 2,000 at a time). */
export const MAX_LEASE = 100_000;

/**
 * How many tokens a worker asks for at once: a fiftieth of a second's worth, at least one. Below 100/s a worker
 * asks for each request, so low quotas (most management operations) are exact across workers; above, each IPC
 * round trip serves rate/50 requests, and few tokens ever wait unused in one worker (ADR 0014).
 */
export function leaseSize(perSecond: number): number {
  return Math.min(MAX_LEASE, Math.max(1, Math.floor(perSecond / 50)));
}

export function isLeaseRequest(message: unknown): message is LeaseRequest {
  const m = message as Partial<LeaseRequest> | null;
  return (
    typeof m === 'object' && m !== null && m.type === 'quota-lease' && Number.isSafeInteger(m.id) &&
    typeof m.accountId === 'string' && typeof m.region === 'string' && typeof m.quotaName === 'string' &&
    Number.isSafeInteger(m.wanted) && m.wanted! >= 1 && m.wanted! <= MAX_LEASE
  );
}

export function isLeaseGrant(message: unknown): message is LeaseGrant {
  const m = message as Partial<LeaseGrant> | null;
  return typeof m === 'object' && m !== null && m.type === 'quota-grant' && Number.isSafeInteger(m.id) &&
    Number.isSafeInteger(m.granted) && m.granted! >= 0;
}

/** The primary's side: takes what it can of the request from the node's buckets. */
export function answerLeaseRequest(buckets: QuotaBuckets, request: LeaseRequest): LeaseGrant {
  const granted = Math.min(request.wanted, buckets.take(request.accountId, request.region, request.quotaName, request.wanted));
  return { type: 'quota-grant', id: request.id, granted };
}
