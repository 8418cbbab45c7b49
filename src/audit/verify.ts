import type { KeyObject } from 'node:crypto';
import { openAuditDatabase, type AuditDatabase } from './audit-database.js';
import { isAuthenticDigest, isAuthenticRetentionMarker, readDigests, readRetentionMarker } from './digest.js';
import { GENESIS_HASH, sha256 } from './record-hash.js';
import { loadAuditPublicKey } from './signing-key.js';
import { verifyWriterRecords, type StoredRecord } from './verify-writer.js';

/**
 * What verification can find:
 * - `altered`: a record's content (or its lookup columns) is not what was written;
 * - `removed`: a record is missing (a gap in seq, or a sealed record absent);
 * - `inserted`: an extra record (a duplicated seq, or a record whose prevHash links wrongly);
 * - `reordered`: a genuine record at the wrong place in its chain;
 * - `bad-digest`: a digest or retention marker whose signature fails, or a digest missing from the digest chain;
 * - `unsealed-tail`: records no digest seals yet (a writer still running, or one that crashed). Not tampering,
 *   and not failing `ok`, but the tail is only as strong as an unkeyed hash chain.
 */
export type ProblemKind = 'altered' | 'removed' | 'inserted' | 'reordered' | 'bad-digest' | 'unsealed-tail';

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
 * Walks every writer's hash chain and digest chain and reports exactly which records were altered, removed,
 * inserted or reordered, and which digests fail. Reads only; never changes the trail.
 *
 * @example
 *   const report = verifyAuditTrail(join(dataDir, 'audit.db'), publicKeyPem);
 *   if (!report.ok) for (const p of report.problems) console.log(p.writer, p.seq, p.kind, p.detail);
 */
export function verifyAuditTrail(source: string | AuditDatabase, publicKeySource: KeyObject | string): VerificationReport {
  const publicKey = loadAuditPublicKey(publicKeySource);
  const db = typeof source === 'string' ? openAuditDatabase(source, { readonly: true }) : source;
  try {
    const writers = (
      db.prepare(
        `SELECT writer FROM audit_records UNION SELECT writer FROM audit_digests UNION SELECT writer FROM audit_retention
         ORDER BY writer`,
      ).all() as { writer: string }[]
    ).map((row) => row.writer);
    const problems: VerificationProblem[] = [];
    const summaries = writers.map((writer) => verifyWriter(db, publicKey, writer, problems));
    return { ok: problems.every((problem) => problem.kind === 'unsealed-tail'), writers: summaries, problems };
  } finally {
    if (typeof source === 'string') db.close();
  }
}

function verifyWriter(db: AuditDatabase, publicKey: KeyObject, writer: string, problems: VerificationProblem[]): WriterSummary {
  const report = (seq: number, kind: ProblemKind, detail: string): void => {
    problems.push({ writer, seq, kind, detail });
  };
  const marker = readRetentionMarker(db, writer);
  if (marker !== undefined && !isAuthenticRetentionMarker(publicKey, marker)) {
    report(marker.throughSeq, 'bad-digest', 'the retention marker signature does not verify');
  }
  const startSeq = (marker?.throughSeq ?? 0) + 1;
  const sealed = new Map<number, Buffer>([[startSeq - 1, marker?.lastHash ?? GENESIS_HASH]]);
  let expectedFrom = startSeq;
  let expectedPrevSignature = marker?.lastSignatureHash ?? GENESIS_HASH;
  let lastAccepted: Buffer | undefined;
  let afterBadDigest = false;
  for (const digest of readDigests(db, writer)) {
    if (!isAuthenticDigest(publicKey, digest)) {
      report(digest.toSeq, 'bad-digest', `the digest of records ${digest.fromSeq}..${digest.toSeq} does not verify`);
      afterBadDigest = true;
      continue;
    }
    if (lastAccepted?.equals(digest.signature) === true) continue; // a verbatim copy is harmless
    const outOfChain = digest.fromSeq !== expectedFrom || !digest.prevSignatureHash.equals(expectedPrevSignature);
    if (outOfChain && !afterBadDigest) {
      const detail = digest.fromSeq > expectedFrom
        ? `no digest seals records ${expectedFrom}..${digest.fromSeq - 1} (a digest was removed)`
        : 'the digest chain is broken before this digest';
      report(expectedFrom, 'bad-digest', detail);
    }
    if (!sealed.has(digest.fromSeq - 1)) sealed.set(digest.fromSeq - 1, digest.firstPrevHash);
    for (let seq = digest.fromSeq; seq <= digest.toSeq; seq += 1) {
      const offset = (seq - digest.fromSeq) * 32;
      sealed.set(seq, digest.recordHashes.subarray(offset, offset + 32));
    }
    expectedFrom = Math.max(expectedFrom, digest.toSeq + 1);
    expectedPrevSignature = sha256(digest.signature);
    lastAccepted = digest.signature;
    afterBadDigest = false;
  }
  const sealedThrough = expectedFrom - 1;
  const records = loadRecords(db, writer);
  verifyWriterRecords({ writer, startSeq, sealed, sealedThrough, records, report });
  return { writer, records: records.length, sealedThrough };
}

function loadRecords(db: AuditDatabase, writer: string): StoredRecord[] {
  const rows = db.prepare(
    `SELECT id, seq, prev_hash, hash, event_json, event_time, event_id, event_name, read_only, username, access_key_id,
       event_source, account_id, error_code FROM audit_records WHERE writer = ? ORDER BY seq, id`,
  ).all(writer) as Omit<StoredRecord, 'resources'>[];
  const resources = new Map<number, string[]>();
  const resourceRows = db.prepare(
    `SELECT r.record_id, r.resource_type, r.resource_name, r.event_time FROM audit_resources r
     JOIN audit_records e ON e.id = r.record_id WHERE e.writer = ?`,
  ).all(writer) as { record_id: number; resource_type: string; resource_name: string; event_time: number }[];
  for (const row of resourceRows) {
    const list = resources.get(row.record_id) ?? [];
    list.push(`${row.resource_type}|${row.resource_name}|${row.event_time}`);
    resources.set(row.record_id, list);
  }
  return rows.map((row) => ({ ...row, resources: (resources.get(row.id) ?? []).sort() }));
}
