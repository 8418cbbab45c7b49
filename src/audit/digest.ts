import type { KeyObject } from 'node:crypto';
import type { AuditDatabase } from './audit-database.js';
import { firstRow, rows as rowsOf, type AuditDigestRow, type SqlPlan } from '../store/audit-store.js';
import { runSqlitePlan } from './sqlite-plan-runner.js';
import { HASH_LENGTH, sha256 } from './record-hash.js';
import { signAuditMessage, verifyAuditMessage } from './signing-key.js';

/**
 * A digest seals records `fromSeq..toSeq` of one writer: it lists their hashes and is signed with the audit
 * signing key. Digests of a writer form their own chain: each names the hash of the previous digest's
 * signature, so removing a digest is visible too. Format in docs/audit-trail.md ("Digest").
 */
export type Digest = AuditDigestRow;

/**
 * A retention marker replaces a writer's removed prefix: it states (signed) where the remaining chain resumes,
 * so verification of what remains still succeeds.
 */
export interface RetentionMarker {
  readonly writer: string;
  /** The last removed seq; the remaining records start at `throughSeq + 1`. */
  readonly throughSeq: number;
  /** The hash of record `throughSeq`, from which the first remaining record chains. */
  readonly lastHash: Buffer;
  /** SHA-256 of the last removed digest's signature, from which the first remaining digest chains. */
  readonly lastSignatureHash: Buffer;
  /** The retention cutoff (epoch ms) and when the removal ran. */
  readonly cutoff: number;
  readonly time: number;
  readonly signature: Buffer;
}

/** Fields are length-prefixed (strings, bytes) or fixed-width (u64), behind a domain label: unambiguous. */
function encode(domain: string, fields: readonly (string | number | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(domain, 'utf8')];
  for (const field of fields) {
    if (typeof field === 'number') {
      const number = Buffer.alloc(8);
      number.writeBigUInt64BE(BigInt(field));
      parts.push(number);
    } else {
      const bytes = typeof field === 'string' ? Buffer.from(field, 'utf8') : field;
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      parts.push(length, bytes);
    }
  }
  return Buffer.concat(parts);
}

/** The bytes a digest's signature covers. */
export function digestMessage(digest: Omit<Digest, 'signature'>): Buffer {
  return encode('strongroom-audit-digest/1', [
    digest.writer, digest.fromSeq, digest.toSeq, digest.firstPrevHash, digest.lastHash,
    sha256(digest.recordHashes), digest.time, digest.prevSignatureHash,
  ]);
}

/** The bytes a retention marker's signature covers. */
export function retentionMessage(marker: Omit<RetentionMarker, 'signature'>): Buffer {
  return encode('strongroom-audit-retention/1', [
    marker.writer, marker.throughSeq, marker.lastHash, marker.lastSignatureHash, marker.cutoff, marker.time,
  ]);
}

/** Signs a digest. */
export function sealDigest(privateKey: KeyObject, unsigned: Omit<Digest, 'signature'>): Digest {
  return { ...unsigned, signature: signAuditMessage(privateKey, digestMessage(unsigned)) };
}

/** Whether a digest is well formed and signed by the audit signing key. */
export function isAuthenticDigest(publicKey: KeyObject, digest: Digest): boolean {
  const count = digest.toSeq - digest.fromSeq + 1;
  return (
    count >= 1 &&
    digest.recordHashes.length === count * HASH_LENGTH &&
    digest.recordHashes.subarray((count - 1) * HASH_LENGTH).equals(digest.lastHash) &&
    verifyAuditMessage(publicKey, digestMessage(digest), digest.signature)
  );
}

/** Signs a retention marker. */
export function sealRetentionMarker(privateKey: KeyObject, unsigned: Omit<RetentionMarker, 'signature'>): RetentionMarker {
  return { ...unsigned, signature: signAuditMessage(privateKey, retentionMessage(unsigned)) };
}

/** Whether a retention marker is signed by the audit signing key. */
export function isAuthenticRetentionMarker(publicKey: KeyObject, marker: RetentionMarker): boolean {
  return verifyAuditMessage(publicKey, retentionMessage(marker), marker.signature);
}

interface DigestRow {
  writer: string; from_seq: number; to_seq: number; first_prev_hash: Buffer; last_hash: Buffer;
  record_hashes: Buffer; time: number; prev_signature_hash: Buffer; signature: Buffer;
}

/** Stores a digest (inside the caller's transaction). */
export function insertDigest(db: AuditDatabase, digest: Digest): void {
  db.prepare(
    `INSERT INTO audit_digests (writer, from_seq, to_seq, first_prev_hash, last_hash, record_hashes, time,
       prev_signature_hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(digest.writer, digest.fromSeq, digest.toSeq, digest.firstPrevHash, digest.lastHash, digest.recordHashes,
    digest.time, digest.prevSignatureHash, digest.signature);
}

/** A writer's digests in seq order. */
export function readDigests(db: AuditDatabase, writer: string): Digest[] {
  return runSqlitePlan(db, readDigestsPlan(writer));
}

/** `readDigests` on any audit store. */
export function* readDigestsPlan(writer: string): SqlPlan<Digest[]> {
  const found = yield* rowsOf<DigestRow>('SELECT * FROM audit_digests WHERE writer = ? ORDER BY from_seq, id', writer);
  return found.map(digestOfRow);
}

/** A writer's last digest (the one sealing its highest seqs), if it has any. */
export function readLastDigest(db: AuditDatabase, writer: string): Digest | undefined {
  return runSqlitePlan(db, readLastDigestPlan(writer));
}

/** `readLastDigest` on any audit store. */
export function* readLastDigestPlan(writer: string): SqlPlan<Digest | undefined> {
  const row = yield* firstRow<DigestRow>('SELECT * FROM audit_digests WHERE writer = ? ORDER BY from_seq DESC, id DESC LIMIT 1', writer);
  return row && digestOfRow(row);
}

/** A digest with its row id (the order it was stored in). */
export interface StoredDigest {
  readonly id: number;
  readonly digest: Digest;
}

/**
 * The digests stored after row `afterId` (what was indexed since), by writer, then in seq order: every writer's, or
 * only `writer`'s.
 */
export function readDigestsStoredAfter(db: AuditDatabase, afterId: number, writer?: string): StoredDigest[] {
  const rows = (writer === undefined
    ? db.prepare('SELECT * FROM audit_digests WHERE id > ? ORDER BY writer, from_seq, id').all(afterId)
    : db.prepare('SELECT * FROM audit_digests WHERE id > ? AND writer = ? ORDER BY from_seq, id').all(afterId, writer)) as (DigestRow & { id: number })[];
  return rows.map((row) => ({ id: row.id, digest: digestOfRow(row) }));
}

function digestOfRow(row: DigestRow): Digest {
  return {
    writer: row.writer, fromSeq: row.from_seq, toSeq: row.to_seq, firstPrevHash: row.first_prev_hash,
    lastHash: row.last_hash, recordHashes: row.record_hashes, time: row.time,
    prevSignatureHash: row.prev_signature_hash, signature: row.signature,
  };
}

/** A writer's retention marker, if older records of it were removed. */
export function readRetentionMarker(db: AuditDatabase, writer: string): RetentionMarker | undefined {
  return runSqlitePlan(db, readRetentionMarkerPlan(writer));
}

/** `readRetentionMarker` on any audit store. */
export function* readRetentionMarkerPlan(writer: string): SqlPlan<RetentionMarker | undefined> {
  const row = yield* firstRow<
    { writer: string; through_seq: number; last_hash: Buffer; last_signature_hash: Buffer; cutoff: number; time: number; signature: Buffer }
  >('SELECT * FROM audit_retention WHERE writer = ?', writer);
  if (row === undefined) return undefined;
  return {
    writer: row.writer, throughSeq: row.through_seq, lastHash: row.last_hash,
    lastSignatureHash: row.last_signature_hash, cutoff: row.cutoff, time: row.time, signature: row.signature,
  };
}
