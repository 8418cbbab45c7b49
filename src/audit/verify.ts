import type { KeyObject } from 'node:crypto';
import { openAuditDatabase, type AuditDatabase } from './audit-database.js';
import { isAuthenticRetentionMarker, readDigestsPlan, readRetentionMarkerPlan } from './digest.js';
import { rows, type SqlPlan } from '../store/audit-store.js';
import { runSqlitePlan } from './sqlite-plan-runner.js';
import { loadAuditPublicKey } from './signing-key.js';
import type { ProblemKind } from './problem-kind.js';
import { chainStartOf, followDigests } from './digest-chain.js';
import { loadWriterRecords, lookupColumnsMatch, verifyWriterRecords, type ReportProblem } from './verify-writer.js';

export type { ProblemKind } from './problem-kind.js';

export interface VerificationProblem {
  readonly writer: string;
  readonly seq: number;
  readonly kind: ProblemKind;
  /** Human-readable explanation (never contains event content). */
  readonly detail: string;
}

export interface WriterSummary {
  readonly writer: string;
  readonly records: number;
  /** The highest seq covered by an authentic digest (0 when none). */
  readonly sealedThrough: number;
}

export interface VerificationReport {
  /** True when nothing but unsealed tails was found. */
  readonly ok: boolean;
  readonly writers: readonly WriterSummary[];
  /** Every problem found, by writer then seq. */
  readonly problems: readonly VerificationProblem[];
}

/**
 * Walks every writer's hash chain and digest chain in a SQLite audit database and reports exactly which records
 * were altered, removed, inserted or reordered, and which digests fail (`verifyPlan` on this connection).
 *
 * @example
 *   const report = verifyAuditTrail(join(dataDir, 'audit.db'), publicKeyPem);
 *   if (!report.ok) for (const p of report.problems) console.log(p.writer, p.seq, p.kind, p.detail);
 */
export function verifyAuditTrail(source: string | AuditDatabase, publicKeySource: KeyObject | string): VerificationReport {
  const db = typeof source === 'string' ? openAuditDatabase(source, { readonly: true }) : source;
  try {
    return runSqlitePlan(db, verifyPlan(publicKeySource));
  } finally {
    if (typeof source === 'string') db.close();
  }
}

/**
 * Verification on any audit store: every writer's chains, one writer at a time (its records are held in memory
 * while it is checked). Reads only; never changes the trail.
 *
 * @example
 *   const report = await auditStore.run(verifyPlan(publicKeyPem));
 */
export function* verifyPlan(publicKeySource: KeyObject | string): SqlPlan<VerificationReport> {
  const publicKey = loadAuditPublicKey(publicKeySource);
  const writers = (
    yield* rows<{ writer: string }>(
      `SELECT writer FROM audit_records UNION SELECT writer FROM audit_digests UNION SELECT writer FROM audit_retention
       ORDER BY writer`,
    )
  ).map((row) => row.writer);
  const problems: VerificationProblem[] = [];
  const summaries: WriterSummary[] = [];
  for (const writer of writers) summaries.push(yield* verifyWriter(publicKey, writer, problems));
  return { ok: problems.every((problem) => problem.kind === 'unsealed-tail'), writers: summaries, problems };
}

function* verifyWriter(publicKey: KeyObject, writer: string, problems: VerificationProblem[]): SqlPlan<WriterSummary> {
  const report: ReportProblem = (seq, kind, detail) => {
    problems.push({ writer, seq, kind, detail });
  };
  const marker = yield* readRetentionMarkerPlan(writer);
  if (marker !== undefined && !isAuthenticRetentionMarker(publicKey, marker)) {
    report(marker.throughSeq, 'bad-digest', 'the retention marker signature does not verify');
  }
  const start = chainStartOf(marker);
  const sealed = new Map<number, Buffer>([[start.seq, start.hash]]);
  const sealedThrough = followDigests(publicKey, start.digests, yield* readDigestsPlan(writer), sealed, report).nextFromSeq - 1;
  const records = yield* loadWriterRecords(writer);
  verifyWriterRecords({ writer, startSeq: start.seq + 1, sealed, sealedThrough, records, columnsMatch: lookupColumnsMatch, report });
  return { writer, records: records.length, sealedThrough };
}
