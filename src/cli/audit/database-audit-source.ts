import { openPostgresAuditStore } from '../../store/postgres/audit/postgres-audit-store.js';
import { redactDatabaseSecrets, redactDatabaseUrl } from '../../store/postgres/database-url.js';
import type { AuditSource } from './trail-source.js';

/**
 * The audit trail of a shared PostgreSQL database, for reading (`strongroom audit ... --database-url`). One
 * connection; every statement under the pool's timeouts, so a database that is down fails the command instead of
 * hanging it. Failures name the database by its redacted URL.
 */
export async function openDatabaseAuditSource(databaseUrl: string): Promise<AuditSource> {
  const shown = redactDatabaseUrl(databaseUrl);
  const store = await openPostgresAuditStore({ databaseUrl, migrate: false, poolSize: 1 });
  return {
    refresh: async () => {},
    async run(plan) {
      try {
        return await store.run(plan);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const reason = code === '42P01'
          ? 'it has no audit trail (run a node or `strongroom init` on it first)'
          : redactDatabaseSecrets((error as Error).message, databaseUrl);
        throw new Error(`cannot read the audit trail of database ${shown}: ${reason}`, { cause: error });
      }
    },
    close: () => store.close(),
  };
}
