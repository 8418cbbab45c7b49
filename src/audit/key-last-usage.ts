import type { AuditDatabase } from './audit-database.js';
import { firstRow, type SqlPlan } from '../store/audit-store.js';
import { runSqlitePlan } from './sqlite-plan-runner.js';
import { TRACKED_CRYPTOGRAPHIC_OPERATIONS, type TrackedCryptographicOperation } from './redaction-rules.js';

/** The last successful cryptographic use of a key, for GetKeyLastUsage's `KeyLastUsage`. */
export interface KeyLastUsage {
  readonly operation: TrackedCryptographicOperation;
  /** Epoch milliseconds (second precision, as the event's time). */
  readonly timestamp: number;
  readonly cloudTrailEventId: string;
  readonly kmsRequestId?: string;
  readonly region: string;
}

const TRACKED_LIST = TRACKED_CRYPTOGRAPHIC_OPERATIONS.map(() => '?').join(', ');

/**
 * The last successful cryptographic operation (GetKeyLastUsage's tracked operations) that named `keyArn`
 * among its resources, from the audit trail; undefined when there is none in the retained trail. Failed,
 * denied and dry-run requests carry an error code and do not count. ReEncrypt counts for both its keys.
 *
 * @example
 *   const usage = keyLastUsage(db, key.arn);
 *   // → { operation: 'Encrypt', timestamp: 1747773976000, cloudTrailEventId: '...', kmsRequestId: '...', region: 'us-east-1' }
 */
export function keyLastUsage(db: AuditDatabase, keyArn: string): KeyLastUsage | undefined {
  return runSqlitePlan(db, keyLastUsagePlan(keyArn));
}

/** `keyLastUsage` on any audit store: `await auditStore.run(keyLastUsagePlan(key.arn))`. */
export function* keyLastUsagePlan(keyArn: string): SqlPlan<KeyLastUsage | undefined> {
  const row = yield* firstRow<{ event_json: string; event_name: TrackedCryptographicOperation; event_time: number; event_id: string }>(
    `SELECT e.event_json, e.event_name, e.event_time, e.event_id FROM audit_resources r
     JOIN audit_records e ON e.id = r.record_id
     WHERE r.resource_name = ? AND e.error_code IS NULL AND e.event_name IN (${TRACKED_LIST})
     ORDER BY r.event_time DESC, r.record_id DESC LIMIT 1`,
    keyArn, ...TRACKED_CRYPTOGRAPHIC_OPERATIONS,
  );
  if (row === undefined) return undefined;
  const event = JSON.parse(row.event_json) as { requestID?: string; awsRegion: string };
  return {
    operation: row.event_name,
    timestamp: row.event_time,
    cloudTrailEventId: row.event_id,
    ...(event.requestID === undefined ? {} : { kmsRequestId: event.requestID }),
    region: event.awsRegion,
  };
}

/**
 * When the retained trail begins (the time of its oldest stored record), for GetKeyLastUsage's
 * `TrackingStartDate` (the later of this and the key's creation); undefined for an empty trail.
 */
export function trackingStartTime(db: AuditDatabase): number | undefined {
  return runSqlitePlan(db, trackingStartTimePlan());
}

/** `trackingStartTime` on any audit store. */
export function* trackingStartTimePlan(): SqlPlan<number | undefined> {
  const row = yield* firstRow<{ event_time: number }>('SELECT event_time FROM audit_records ORDER BY id LIMIT 1');
  return row?.event_time;
}
