import { hostname } from 'node:os';
import type { OutcomeSink } from '../../api/outcome.js';
import {
  createJsonLinesSink,
  keyLastUsagePlan,
  lookupEventsPlan,
  newEventId,
  openAuditLog,
  retentionPlan,
  serviceEvent,
  trackingStartTimePlan,
  type AuditLogOptions,
  type CloudTrailEvent,
  type CommitInfo,
  type JsonLinesSink,
  type LookupEventsQuery,
  type LookupEventsResult,
  type RetentionResult,
  type VerificationReport,
  verifyPlan,
} from '../../audit/index.js';
import type { RootOfTrust } from '../../crypto/root-of-trust.js';
import type { Logger } from '../../observability/logger.js';
import type { ServiceEvent } from '../../service/background-jobs.js';
import type { KeyUsageTracker } from '../../service/services.js';
import type { AuditStore } from '../../store/audit-store.js';
import type { Store } from '../../store/store.js';
import { dataDirectoryLayout } from '../data-directory.js';
import { auditPublicKeyPem, loadOrCreateAuditSigningKey } from './audit-signing-key-store.js';
import { createAuditOutcomeSink } from './audit-outcome-sink.js';
import { trackTrailHealth, type AuditTrailStatus } from './trail-health.js';

/** How a node records its audit trail (`NodeOptions.audit`). */
export interface AuditTrailSettings {
  /** Also stream every committed record as JSON Lines: to this file (`path`), or to stdout (`'-'`). */
  readonly stream?: string;
  /**
   * How long indexing (in the background, before reads, on seal and close) waits for another process's database
   * lock (default 5000 ms).
   */
  readonly busyTimeoutMs?: number;
  /** The region of records whose request never named one (unauthenticated requests); default us-east-1. */
  readonly defaultRegion?: string;
  /** Wraps this process's journal file (tests inject write failures with it). */
  readonly wrapJournal?: AuditLogOptions['wrapJournal'];
  /** The size of each journal file, preallocated (default 8 MiB). */
  readonly journalFileBytes?: number;
  /** Index when nothing was appended for this long (default 100 ms; tests set it high to index only when they ask). */
  readonly indexWhenIdleMs?: number;
  /** Told of every batch made durable (for `/metrics`: its records and how long its write took). Not in memory. */
  readonly onCommit?: (info: CommitInfo) => void;
}

/** A node's audit trail: the outcome sink, the readers the API needs, background events and retention. */
export interface AuditTrail {
  /** SPKI PEM of the key that signs the digests. */
  readonly publicKeyPem: string;
  readonly outcomes: OutcomeSink;
  readonly keyUsage: KeyUsageTracker;
  /** Appends one record; resolves once it is durable. */
  append(event: CloudTrailEvent): Promise<void>;
  /** CloudTrail LookupEvents over the trail (throws CloudTrail's Invalid*Exception errors). */
  lookupEvents(query: LookupEventsQuery): Promise<LookupEventsResult>;
  /** Records background work (automatic rotation, deletion) as an `AwsServiceEvent`, durably. */
  recordServiceEvent(event: ServiceEvent): Promise<void>;
  /** Removes (after archiving into `archiveDir`, when given) sealed segments older than `retentionDays`. */
  applyRetention(retentionDays: number, archiveDir?: string): Promise<RetentionResult>;
  /** Seals this writer's unsealed records with a signed digest now (they are sealed every 60 s anyway). */
  seal(): Promise<void>;
  /** Seals, then closes the trail and its stream. */
  close(): Promise<void>;
  /** Verifies every writer's chains over every acknowledged record (the admin API's VerifyAuditTrail). */
  verify(): Promise<VerificationReport>;
  /** Whether it accepts writes and its chains verified so far (for `/readyz`; nothing secret). */
  status(): AuditTrailStatus;
}

export interface OpenAuditTrailOptions extends AuditTrailSettings {
  readonly dataDir: string;
  readonly store: Store;
  readonly rootKey: RootOfTrust;
  readonly now: () => number;
  readonly log: Logger;
}

const DAY_MS = 86_400_000;
/** When a process checks its trail first, unless a read or an index after appends came sooner: once it serves. */
const FIRST_CHECK_DELAY_MS = 1000;

/**
 * Opens `<data-dir>/audit.db` for this process: loads (or, on the first start, creates and stores wrapped)
 * the audit signing key, starts this process's writer chain, and wires the readers (LookupEvents,
 * GetKeyLastUsage) on a second connection so that a long query never holds up the group commit.
 *
 * @example
 *   const trail = await openAuditTrail({ dataDir, store, rootKey, now: Date.now, log });
 *   new App({ ..., outcomes: trail.outcomes });
 */
export async function openAuditTrail(options: OpenAuditTrailOptions): Promise<AuditTrail> {
  const path = dataDirectoryLayout(options.dataDir).auditDatabase;
  const signingKey = await loadOrCreateAuditSigningKey(options.store.settings, options.rootKey);
  const stream = openStream(options.stream);
  const publicKeyPem = auditPublicKeyPem(signingKey);
  const health = trackTrailHealth(options.log);
  // Records stay durable in the journal; indexing is retried. Only the error's name and code: no record content.
  const logIndexError = (error: unknown) => options.log.error('audit-index-failed', {
    error: error instanceof Error ? error.name : 'unknown', code: String((error as { code?: unknown }).code ?? ''),
  });
  const auditLog = openAuditLog({
    path,
    signingKey,
    now: options.now,
    writerId: `${hostname()}-${process.pid}-${options.now()}`,
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
    ...(stream ? { sinks: [stream] } : {}),
    ...(options.wrapJournal ? { wrapJournal: options.wrapJournal } : {}),
    ...(options.journalFileBytes !== undefined ? { journalFileBytes: options.journalFileBytes } : {}),
    ...(options.indexWhenIdleMs !== undefined ? { indexWhenIdleMs: options.indexWhenIdleMs } : {}),
    ...(options.onCommit !== undefined ? { onCommit: options.onCommit } : {}),
    onSinkError: (error) => options.log.error('audit-stream-failed', { error: error instanceof Error ? error.name : 'unknown' }),
    onIndexError: logIndexError,
    // An index ran (a read, a backlog, the idle timer), and with it the first check: the timer below has no more to do.
    onIndex: () => clearTimeout(firstCheck),
    // The indexing thread verifies what it indexes (chain-watch.ts).
    chainWatch: { publicKeyPem, onCheck: (check) => health.onCheck(check) },
  });
  // The first check soon after the start rather than at the first request: an unsealed tail broken before this
  // start is seen. Not at once: starting the indexing thread (a V8 isolate, SQLite, the check) costs ~100 ms of
  // CPU, which each process of a start would spend while the others still load and the first requests come in.
  const firstCheck = setTimeout(() => auditLog.index().catch(logIndexError), FIRST_CHECK_DELAY_MS);
  firstCheck.unref();
  const append = health.watchWrites((event) => auditLog.append(event));
  // Every process journals its own records; a read first brings every journal into the database (on the
  // indexer's thread), so it sees every acknowledged record, whichever process wrote it.
  const closeOthers = () => stream?.close();
  const log = {
    seal: () => auditLog.seal(),
    close: async () => {
      clearTimeout(firstCheck);
      await auditLog.close();
    },
  };
  return assembleAuditTrail({ options, signingKey, publicKeyPem, health, append, store: auditLog.store, auditLog: log, closeOthers });
}

/** What a trail is made of, on disk or in memory (memory-audit-trail.ts). */
export interface TrailParts {
  readonly options: Pick<OpenAuditTrailOptions, 'store' | 'now' | 'defaultRegion'>;
  readonly signingKey: Parameters<typeof retentionPlan>[0]['signingKey'];
  readonly publicKeyPem: string;
  readonly health: ReturnType<typeof trackTrailHealth>;
  /** Appends one record (watched by `health`); resolves once it is durable. */
  readonly append: (event: CloudTrailEvent) => Promise<void>;
  /** Where reads run, over every acknowledged record (store/audit-store.ts). */
  readonly store: Pick<AuditStore, 'run'>;
  readonly auditLog: { seal(): Promise<void>; close(): Promise<void> };
  /** Closes what the trail opened besides its log (the stream, a connection pool), after the log. */
  readonly closeOthers: () => void | Promise<void>;
}

/** The trail's API over its parts: the one place that says what each reader and writer of a trail does. */
export function assembleAuditTrail(parts: TrailParts): AuditTrail {
  const { options, signingKey, health, append, store, auditLog } = parts;
  const sessions = options.store.identities;
  return {
    publicKeyPem: parts.publicKeyPem,
    outcomes: createAuditOutcomeSink({
      log: { append },
      defaultRegion: options.defaultRegion ?? 'us-east-1',
      sessionCreatedAt: async (accessKeyId) => (await sessions.getAccessKey(accessKeyId))?.createdAt,
    }),
    keyUsage: {
      lastUsage: (keyArn) => store.run(keyLastUsagePlan(keyArn)),
      trackingStart: () => store.run(trackingStartTimePlan()),
    },
    append,
    lookupEvents: async (query) => store.run(lookupEventsPlan(query)),
    recordServiceEvent: (event) => append(serviceEventOf(event, newEventId())),
    applyRetention: async (retentionDays, archiveDir) =>
      store.run(retentionPlan({
        olderThan: options.now() - retentionDays * DAY_MS,
        signingKey,
        now: options.now,
        ...(archiveDir !== undefined ? { archiveDir } : {}),
      })),
    verify: () => store.run(verifyPlan(parts.publicKeyPem)),
    seal: () => auditLog.seal(),
    status: () => health.status(),
    async close() {
      health.closed();
      try {
        await auditLog.close();
      } finally {
        await parts.closeOthers();
      }
    },
  };
}

/** As AWS records them: RotateKey names the rotation type and key id; DeleteKey only the key. */
export function serviceEventOf(event: ServiceEvent, eventId: string) {
  const { key } = event;
  return serviceEvent({
    eventName: event.eventName,
    keyArn: key.arn,
    accountId: key.accountId,
    region: key.region,
    time: event.at,
    eventId,
    ...(event.eventName === 'RotateKey' ? { serviceEventDetails: { rotationType: 'AUTOMATIC', keyId: key.id } } : {}),
  });
}

export function openStream(target: string | undefined): JsonLinesSink | undefined {
  if (target === undefined) return undefined;
  return createJsonLinesSink(target === '-' ? { fd: 1 } : { path: target });
}
