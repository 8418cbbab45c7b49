import { createPublicKey, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import type { AuditDatabase } from './audit-database.js';
import { firstRow, inTransaction, rows, type SqlPlan } from '../store/audit-store.js';
import { isAuthenticDigest, readDigestsPlan, sealRetentionMarker, type Digest, type RetentionMarker } from './digest.js';
import { runSqlitePlan } from './sqlite-plan-runner.js';
import { recordHash, sha256 } from './record-hash.js';
import { syncDirectory } from './journal.js';
import { loadAuditSigningKey } from './signing-key.js';

export interface RetentionOptions {
  /** Records older than this (epoch ms) may go, in whole sealed segments only. */
  readonly olderThan: number;
  /** When given, each removed segment is first written there as JSON Lines (fsynced, mode 0600). */
  readonly archiveDir?: string;
  /** Signs the retention marker. */
  readonly signingKey: KeyObject | SecretBytes;
  readonly now: () => number;
  /** Called after a writer's segments are read (and archived), before they are removed: tests interleave with it. */
  readonly beforeRemove?: (writer: string) => void;
}

export interface RemovedSegment {
  readonly writer: string;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly archivePath?: string;
}

export interface RetentionResult {
  readonly removed: readonly RemovedSegment[];
  /** Writers whose oldest segment does not verify: nothing of them is removed (that would erase evidence). */
  readonly refused: readonly { readonly writer: string; readonly fromSeq: number }[];
}

interface SegmentRecord { id: number; seq: number; prev_hash: Buffer; hash: Buffer; event_json: string; event_time: number }

/**
 * Retention on a SQLite audit database (`retentionPlan` on this connection).
 *
 * @example
 *   applyRetention(db, { olderThan: now() - 365 * 86_400_000, archiveDir, signingKey, now });
 */
export function applyRetention(db: AuditDatabase, options: RetentionOptions): RetentionResult {
  return runSqlitePlan(db, retentionPlan(options));
}

/**
 * Removes (or archives, then removes) each writer's oldest sealed segments whose every record is older than
 * the cutoff, and records a signed retention marker per writer so that verification of what remains still
 * succeeds: the remaining chain resumes from the marker's hash. Only a contiguous prefix goes, and only
 * segments that verify against their digest. Each writer's removal is one transaction, on any audit store: a
 * process that dies mid-run leaves each writer either as it was or moved on to its new marker, never between.
 * Runs that overlap (two nodes, the CLI) are safe: each transaction first checks that the marker it replaces is
 * still the one it read past, and PostgreSQL serialises the transactions on a lock (postgres-audit-store.ts).
 *
 * @example
 *   const result = await auditStore.run(retentionPlan({ olderThan: now() - 365 * 86_400_000, signingKey, now }));
 */
export function* retentionPlan(options: RetentionOptions): SqlPlan<RetentionResult> {
  const privateKey = loadAuditSigningKey(options.signingKey);
  const publicKey = createPublicKey(privateKey);
  const removed: RemovedSegment[] = [];
  const refused: { writer: string; fromSeq: number }[] = [];
  const writers = (yield* rows<{ writer: string }>('SELECT DISTINCT writer FROM audit_digests ORDER BY writer')).map((row) => row.writer);

  for (const writer of writers) {
    const segments: { digest: Digest; records: SegmentRecord[] }[] = [];
    for (const digest of yield* readDigestsPlan(writer)) {
      const records = yield* rows<SegmentRecord>(
        'SELECT id, seq, prev_hash, hash, event_json, event_time FROM audit_records WHERE writer = ? AND seq BETWEEN ? AND ? ORDER BY seq, id',
        writer, digest.fromSeq, digest.toSeq,
      );
      if (records.some((record) => record.event_time >= options.olderThan)) break;
      if (!isAuthenticDigest(publicKey, digest) || !segmentMatches(writer, digest, records)) {
        refused.push({ writer, fromSeq: digest.fromSeq });
        break;
      }
      segments.push({ digest, records });
    }
    const last = segments[segments.length - 1];
    if (last === undefined) continue;
    const archived = segments.map((segment) => ({
      writer, fromSeq: segment.digest.fromSeq, toSeq: segment.digest.toSeq,
      ...(options.archiveDir === undefined ? {} : { archivePath: archiveSegment(options.archiveDir, writer, segment.digest, segment.records) }),
    }));
    const marker = sealRetentionMarker(privateKey, {
      writer, throughSeq: last.digest.toSeq, lastHash: last.digest.lastHash,
      lastSignatureHash: sha256(last.digest.signature), cutoff: options.olderThan, time: options.now(),
    });
    // The archive files' names must be durable too before their records go: fsync wrote their data, not the directory.
    if (options.archiveDir !== undefined) syncDirectory(options.archiveDir);
    options.beforeRemove?.(writer);
    const read = segments.reduce((sum, segment) => sum + segment.records.length, 0);
    const committed = yield* inTransaction(removeThrough(marker, segments, read));
    if (committed) removed.push(...archived);
  }
  return { removed, refused };
}

/**
 * One writer's removal, as one transaction. Another run (another node, the CLI) may have removed more since the
 * segments were read: only a marker that moves the chain's start forward, over exactly the records read, may go
 * in. A marker that went back would make verification resume the chain before records that are gone.
 */
function* removeThrough(
  marker: RetentionMarker, segments: readonly { records: readonly SegmentRecord[] }[], read: number,
): SqlPlan<boolean> {
  const { writer, throughSeq: through } = marker;
  const current = (yield* firstRow<{ through_seq: number }>('SELECT through_seq FROM audit_retention WHERE writer = ?', writer))?.through_seq ?? 0;
  const stored = (yield* firstRow<{ n: number }>(
    'SELECT COUNT(*) AS n FROM audit_records WHERE writer = ? AND seq > ? AND seq <= ?', writer, current, through,
  ))?.n ?? 0;
  if (current >= through || stored !== read - countAtOrBelow(segments, current)) return false;
  yield* rows('DELETE FROM audit_resources WHERE record_id IN (SELECT id FROM audit_records WHERE writer = ? AND seq <= ?)', writer, through);
  yield* rows('DELETE FROM audit_records WHERE writer = ? AND seq <= ?', writer, through);
  yield* rows('DELETE FROM audit_digests WHERE writer = ? AND to_seq <= ?', writer, through);
  yield* rows('DELETE FROM audit_retention WHERE writer = ?', writer);
  yield* rows(
    `INSERT INTO audit_retention (writer, through_seq, last_hash, last_signature_hash, cutoff, time, signature)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    writer, marker.throughSeq, marker.lastHash, marker.lastSignatureHash, marker.cutoff, marker.time, marker.signature,
  );
  return true;
}

/** How many of the segments' records lie at or below `seq` (already removed by a run that overtook this one). */
function countAtOrBelow(segments: readonly { records: readonly SegmentRecord[] }[], seq: number): number {
  return segments.reduce((sum, segment) => sum + segment.records.filter((record) => record.seq <= seq).length, 0);
}

/** Whether the stored records are exactly those the digest seals, each hashing to its listed hash. */
function segmentMatches(writer: string, digest: Digest, records: readonly SegmentRecord[]): boolean {
  if (records.length !== digest.toSeq - digest.fromSeq + 1) return false;
  let prevHash = digest.firstPrevHash;
  return records.every((record, index) => {
    const listed = digest.recordHashes.subarray(index * 32, index * 32 + 32);
    const ok = record.seq === digest.fromSeq + index && record.prev_hash.equals(prevHash) &&
      recordHash(prevHash, writer, record.seq, record.event_json).equals(listed) && record.hash.equals(listed);
    prevHash = listed;
    return ok;
  });
}

/**
 * Writes one segment as JSON Lines: one line per record, then its digest; fsynced (and its directory, by the
 * caller) before anything is deleted.
 */
function archiveSegment(dir: string, writer: string, digest: Digest, records: readonly SegmentRecord[]): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${writer.replace(/[^A-Za-z0-9._-]/g, '_')}-${digest.fromSeq}-${digest.toSeq}.jsonl`);
  const lines = records.map((record) => JSON.stringify({
    writer, seq: record.seq, prevHash: record.prev_hash.toString('hex'), hash: record.hash.toString('hex'),
    eventJson: record.event_json, // verbatim: the hash covers these exact bytes
  }));
  lines.push(JSON.stringify({
    digest: {
      writer, fromSeq: digest.fromSeq, toSeq: digest.toSeq, firstPrevHash: digest.firstPrevHash.toString('hex'),
      lastHash: digest.lastHash.toString('hex'), recordHashes: digest.recordHashes.toString('hex'), time: digest.time,
      prevSignatureHash: digest.prevSignatureHash.toString('hex'), signature: digest.signature.toString('base64'),
    },
  }));
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, `${lines.join('\n')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return path;
}
