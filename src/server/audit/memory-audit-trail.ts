import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { applyRetention, keyLastUsage, lookupEvents, openMemoryAuditLog, trackingStartTime } from '../../audit/index.js';
import { auditPublicKeyPem, loadOrCreateAuditSigningKey } from './audit-signing-key-store.js';
import { createAuditOutcomeSink } from './audit-outcome-sink.js';
import { openStream, serviceEventOf, type AuditTrail, type OpenAuditTrailOptions } from './audit-trail.js';
import { trackTrailHealth } from './trail-health.js';

const DAY_MS = 86_400_000;

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
  const sessions = options.store.identities;
  return {
    publicKeyPem: auditPublicKeyPem(signingKey),
    outcomes: createAuditOutcomeSink({
      log: { append },
      defaultRegion: options.defaultRegion ?? 'us-east-1',
      sessionCreatedAt: async (accessKeyId) => (await sessions.getAccessKey(accessKeyId))?.createdAt,
    }),
    keyUsage: {
      lastUsage: async (keyArn) => keyLastUsage(db, keyArn),
      trackingStart: async () => trackingStartTime(db),
    },
    append,
    lookupEvents: async (query) => lookupEvents(db, query),
    recordServiceEvent: (event) => append(serviceEventOf(event, randomUUID())),
    applyRetention: async (retentionDays, archiveDir) =>
      applyRetention(db, {
        olderThan: options.now() - retentionDays * DAY_MS,
        signingKey,
        now: options.now,
        ...(archiveDir !== undefined ? { archiveDir } : {}),
      }),
    seal: () => auditLog.seal(),
    status: () => health.status(),
    async close() {
      health.closed();
      try {
        await auditLog.close();
      } finally {
        stream?.close();
      }
    },
  };
}
