import { hostname } from 'node:os';
import { openMemoryAuditLog } from '../../audit/index.js';
import { runSqlitePlan } from '../../audit/sqlite-plan-runner.js';
import { auditPublicKeyPem, loadOrCreateAuditSigningKey } from './audit-signing-key-store.js';
import { assembleAuditTrail, openStream, type AuditTrail, type OpenAuditTrailOptions } from './audit-trail.js';
import { trackTrailHealth } from './trail-health.js';

/**
 * The audit trail of an ephemeral node: `openAuditTrail`'s trail with its records in memory (memory-audit-log.ts)
 * instead of `audit.db` and its journals. The signing key is made and kept (wrapped) in the node's in-memory store
 * as usual. LookupEvents, GetKeyLastUsage and the stream answer as they do on disk; nothing survives the process.
 *
 * @example
 *   const trail = await openMemoryAuditTrail({ store, rootKey, now: Date.now, log });
 */
export async function openMemoryAuditTrail(options: Omit<OpenAuditTrailOptions, 'dataDir'>): Promise<AuditTrail> {
  const signingKey = await loadOrCreateAuditSigningKey(options.store.settings, options.rootKey);
  const stream = openStream(options.stream);
  const health = trackTrailHealth(options.log);
  const auditLog = openMemoryAuditLog({
    signingKey,
    now: options.now,
    writerId: `${hostname()}-${process.pid}-${options.now()}`,
    ...(stream ? { sinks: [stream] } : {}),
    onSinkError: (error) => options.log.error('audit-stream-failed', { error: error instanceof Error ? error.name : 'unknown' }),
  });
  const append = health.watchWrites((event) => auditLog.append(event));
  const db = auditLog.database;
  return assembleAuditTrail({
    options,
    signingKey,
    publicKeyPem: auditPublicKeyPem(signingKey),
    health,
    append,
    store: { run: async (plan) => runSqlitePlan(db, plan) },
    auditLog,
    closeOthers: () => stream?.close(),
  });
}
