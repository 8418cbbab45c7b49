import type { SqlPlan } from '../../store/audit-store.js';

/**
 * An audit trail opened for reading by the CLI (a data directory's, or a shared database's): a module of its own
 * so that both kinds implement it without importing each other.
 */
export interface AuditSource {
  /** Brings in what writers acknowledged since (a data directory's journals); nothing to do on PostgreSQL. */
  refresh(): Promise<void>;
  /** Runs a read (store/audit-store.ts) over the trail. */
  run<T>(plan: SqlPlan<T>): Promise<T>;
  close(): Promise<void>;
}
