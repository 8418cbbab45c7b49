import type { AuditLog } from '../../audit/index.js';
import type { ChainCheck } from '../../audit/background-indexer.js';
import type { Logger } from '../../observability/logger.js';

/** Whether the trail can do its job now (what `/readyz` reports of it). */
export interface AuditTrailStatus {
  /** Not closed, and the last journal write did not fail (the next successful one clears a failure). */
  readonly writable: boolean;
  /** No chain watch check found a break since this process started. */
  readonly chainIntact: boolean;
}

/**
 * What a node knows of its trail's health: the outcome of its journal writes, and what the indexing thread's chain
 * watch found. A break is logged once, as `audit-chain-broken` with the writer, seq and kind only (never anything
 * of the event), and keeps the node not ready until it restarts: someone has to look (`strongroom audit verify`).
 *
 * @example
 *   const health = trackTrailHealth(log);
 *   const auditLog = openAuditLog({ ..., chainWatch: { publicKeyPem, onCheck: health.onCheck } });
 *   const append = health.watchWrites((event) => auditLog.append(event));
 *   health.status(); // { writable: true, chainIntact: true }
 */
export interface TrailHealth {
  /** `append`, watched: a rejected append marks the trail unwritable until one succeeds. */
  watchWrites(append: AuditLog['append']): AuditLog['append'];
  /** Receives each chain check of the indexing thread. */
  onCheck(check: ChainCheck): void;
  /** The trail was closed: it accepts no more writes. */
  closed(): void;
  status(): AuditTrailStatus;
}

export function trackTrailHealth(log: Logger): TrailHealth {
  let lastWriteFailed = false;
  let closed = false;
  let chainIntact = true;
  return {
    watchWrites: (append) => (event) =>
      append(event).then(
        () => {
          lastWriteFailed = false;
        },
        (error: unknown) => {
          lastWriteFailed = true;
          throw error;
        },
      ),
    onCheck(check) {
      if ('error' in check) {
        log.error('audit-chain-check-failed', { error: check.error.name });
        return;
      }
      for (const found of check.breaks) {
        chainIntact = false;
        log.error('audit-chain-broken', { writer: found.writer, seq: found.seq, kind: found.kind });
      }
    },
    closed: () => {
      closed = true;
    },
    status: () => ({ writable: !closed && !lastWriteFailed, chainIntact }),
  };
}
