import { existsSync } from 'node:fs';
import { importAuditJournals, openAuditDatabase, runSqlitePlan, type AuditDatabase } from '../../audit/index.js';
import { dataDirectoryLayout } from '../../server/data-directory.js';
import type { AuditSource } from './trail-source.js';

export type { AuditSource } from './trail-source.js';

/** Where `strongroom audit` reads: a data directory's `audit.db` and journals, or a shared PostgreSQL database. */
export type AuditLocation = { readonly dataDir: string } | { readonly databaseUrl: string };

/**
 * Opens the trail at `location` for reading. A data directory: its journals are imported into `audit.db` at each
 * `refresh` (a running server indexes its journal only when idle), then read on a read-only connection. A
 * database: read on a small pool of its own, the schema left as it is (the CLI does not migrate); an error names
 * the database only through `redactDatabaseUrl`.
 *
 * @example
 *   const source = await openAuditSource({ databaseUrl: process.env.STRONGROOM_DATABASE_URL });
 *   const report = await source.run(verifyPlan(publicKeyPem));
 */
export async function openAuditSource(location: AuditLocation): Promise<AuditSource> {
  if ('databaseUrl' in location) {
    // Loaded only here: the data-directory commands never parse the PostgreSQL driver.
    const { openDatabaseAuditSource } = await import('./database-audit-source.js');
    return openDatabaseAuditSource(location.databaseUrl);
  }
  const path = dataDirectoryLayout(location.dataDir).auditDatabase;
  let db: AuditDatabase | undefined;
  return {
    async refresh() {
      importJournals(path);
    },
    async run(plan) {
      db ??= openAuditDatabase(path, { readonly: true });
      return runSqlitePlan(db, plan);
    },
    async close() {
      db?.close();
    },
  };
}

/**
 * Brings every process's journal into `audit.db` first, so that what is read is every acknowledged record.
 * Without write access, reads what is indexed.
 */
function importJournals(path: string): void {
  if (!existsSync(path)) return;
  try {
    importAuditJournals(path);
  } catch (error) {
    process.stderr.write(`warning: journaled records not indexed yet are not included (${(error as Error).message})\n`);
  }
}
