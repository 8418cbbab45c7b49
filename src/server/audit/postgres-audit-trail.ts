import { hostname } from 'node:os';
import { openGroupCommit, storedChainPlan, WriterChain } from '../../audit/index.js';
import { openPostgresAuditStore } from '../../store/postgres/audit/postgres-audit-store.js';
import { auditPublicKeyPem, loadOrCreateAuditSigningKey } from './audit-signing-key-store.js';
import { assembleAuditTrail, openStream, type AuditTrail, type OpenAuditTrailOptions } from './audit-trail.js';
import { trackTrailHealth } from './trail-health.js';

/** Connections of a node process's audit trail at most: fewer than the key store's, as it writes one batch at a time. */
const AUDIT_POOL_SIZE = 4;

/** What `openPostgresAuditTrail` needs: a node's trail options, with the shared database in place of a data directory. */
export type PostgresAuditTrailOptions = Omit<OpenAuditTrailOptions, 'dataDir'> & { readonly databaseUrl: string };

/**
 * The audit trail of a node on a shared PostgreSQL database: `openAuditTrail`'s trail with its records in the
 * database's audit tables (store/postgres/audit/, ADR 0017) instead of `audit.db` and its journals. Each node — each
 * process — is a writer with its own hash chain and signed digests; every node's LookupEvents, GetKeyLastUsage and
 * retention read every writer's records.
 *
 * An append resolves once its batch's statement has committed: group commit across this process's concurrent
 * requests, one statement per batch. A failed commit rejects the batch's appends (the requests then fail with an
 * internal error) within the pool's timeouts, leaves the chain as it was, and the next batch re-reads the chain
 * from the database first, in case the commit happened after all.
 *
 * The schema is brought up to date first (the key store normally has, so this finds nothing to do). There is no
 * continuous verification thread here (the SQLite indexer's chain watch): `strongroom audit verify` checks it.
 *
 * @example
 *   const trail = await openPostgresAuditTrail({ databaseUrl, store, rootKey, now: Date.now, log });
 *   new App({ ..., outcomes: trail.outcomes });
 */
export async function openPostgresAuditTrail(options: PostgresAuditTrailOptions): Promise<AuditTrail> {
  const signingKey = await loadOrCreateAuditSigningKey(options.store.settings, options.rootKey);
  const publicKeyPem = auditPublicKeyPem(signingKey);
  const store = await openPostgresAuditStore({
    databaseUrl: options.databaseUrl,
    // One batch is in flight at a time (group commit); the rest serve LookupEvents and GetKeyLastUsage.
    poolSize: AUDIT_POOL_SIZE,
    now: options.now,
    // Only the error's name: a driver message may name the server, never the password, but says nothing useful.
    onIdleError: (error) => options.log.error('audit-database-connection-lost', { error: error.name }),
  });
  try {
    const writerId = `${hostname()}-${process.pid}-${options.now()}`;
    const readChain = async () => WriterChain.fromStored(await store.run(storedChainPlan(writerId)), options.now());
    const chain = await readChain();
    const stream = openStream(options.stream);
    const health = trackTrailHealth(options.log);
    const commits = openGroupCommit({
      store,
      chain,
      privateKey: signingKey,
      now: options.now,
      resync: readChain,
      ...(stream ? { sinks: [stream] } : {}),
      ...(options.onCommit !== undefined ? { onCommit: options.onCommit } : {}),
      onSinkError: (error) => options.log.error('audit-stream-failed', { error: error instanceof Error ? error.name : 'unknown' }),
    });
    return assembleAuditTrail({
      options,
      signingKey,
      publicKeyPem,
      health,
      append: health.watchWrites((event) => commits.append(event)),
      store,
      auditLog: { seal: () => commits.seal(), close: () => commits.close() },
      closeOthers: async () => {
        stream?.close();
        await store.close();
      },
    });
  } catch (error) {
    await store.close();
    throw error;
  }
}
