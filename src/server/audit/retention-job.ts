import type { Logger } from '../../observability/logger.js';
import type { AuditTrail } from './audit-trail.js';

/** How often retention runs (besides once at start). */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

export interface RetentionJobOptions {
  readonly retentionDays: number;
  /** Archive removed segments here first (JSON Lines, mode 0600); undefined removes without archive. */
  readonly archiveDir?: string;
  readonly log: Logger;
  readonly intervalMs?: number;
}

/**
 * Applies the audit retention period once now and then every hour: each writer's oldest sealed segments whose
 * every record is older than the period are archived (when a directory is set) and removed, and a signed
 * retention marker keeps what remains verifiable. A segment that does not verify is refused (and logged),
 * never removed: retention must not launder tampering.
 *
 * @example
 *   const job = scheduleAuditRetention(node.audit, { retentionDays: 365, archiveDir, log });
 *   // ... on shutdown:
 *   job.stop();
 */
export function scheduleAuditRetention(trail: AuditTrail, options: RetentionJobOptions): { stop(): void } {
  const run = async (): Promise<void> => {
    try {
      const result = await trail.applyRetention(options.retentionDays, options.archiveDir);
      if (result.removed.length > 0) {
        options.log.info('audit-retention', {
          segments: result.removed.length,
          records: result.removed.reduce((sum, segment) => sum + segment.toSeq - segment.fromSeq + 1, 0),
          archived: options.archiveDir !== undefined,
        });
      }
      for (const refused of result.refused) {
        options.log.error('audit-retention-refused', { writer: refused.writer, fromSeq: refused.fromSeq, reason: 'segment does not verify' });
      }
    } catch (error) {
      options.log.error('audit-retention-failed', { error: error instanceof Error ? error.message : String(error) });
    }
  };
  void run();
  const timer = setInterval(() => void run(), options.intervalMs ?? RETENTION_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
