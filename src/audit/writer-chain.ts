import type { KeyObject } from 'node:crypto';
import type { AuditDatabase } from './audit-database.js';
import { firstRow, rows, type SqlPlan } from '../store/audit-store.js';
import { readLastDigestPlan, readRetentionMarkerPlan, sealDigest, type Digest, type RetentionMarker } from './digest.js';
import { runSqlitePlan } from './sqlite-plan-runner.js';
import { GENESIS_HASH, HASH_LENGTH, recordHash, sha256 } from './record-hash.js';

/** A record about to be written: its place in the chain and its hashes. */
export interface ChainedRecord {
  readonly seq: number;
  readonly prevHash: Buffer;
  readonly hash: Buffer;
}

/**
 * The in-memory head of one writer's chain: the last seq and hash, and the hashes not yet sealed by a digest.
 * Changes are computed first (`extend`, `digest`) and applied only after their transaction commits (`advance`,
 * `sealed`), so a failed flush leaves the chain exactly as it was.
 */
export class WriterChain {
  readonly writer: string;
  #seq: number;
  #lastHash: Buffer;
  #unsealed: Buffer[];
  /** The hash of the last sealed record: what the first unsealed record chains from. */
  #sealedHash: Buffer;
  #lastSignatureHash: Buffer;
  #lastSealAt: number;

  private constructor(
    writer: string,
    head: { seq: number; lastHash: Buffer; unsealed: Buffer[]; sealedHash: Buffer },
    lastSignatureHash: Buffer,
    lastSealAt: number,
  ) {
    this.writer = writer;
    this.#seq = head.seq;
    this.#lastHash = head.lastHash;
    this.#unsealed = head.unsealed;
    this.#sealedHash = head.sealedHash;
    this.#lastSignatureHash = lastSignatureHash;
    this.#lastSealAt = lastSealAt;
  }

  /**
   * The chain of `writer` as stored in a SQLite audit database: empty for a new writer; otherwise resumed after its
   * last record (a writer id reused across restarts continues its chain instead of forking it).
   */
  static resume(db: AuditDatabase, writer: string, now: number): WriterChain {
    return WriterChain.fromStored(runSqlitePlan(db, storedChainPlan(writer)), now);
  }

  /** The chain as `storedChainPlan` read it, on any audit store. */
  static fromStored(stored: StoredChain, now: number): WriterChain {
    const { writer, marker, lastDigest, last, unsealed } = stored;
    const lastSignatureHash = lastDigest !== undefined ? sha256(lastDigest.signature) : (marker?.lastSignatureHash ?? GENESIS_HASH);
    const sealedThrough = lastDigest?.toSeq ?? marker?.throughSeq ?? 0;
    const sealedHash = lastDigest?.lastHash ?? marker?.lastHash ?? GENESIS_HASH;
    if (last === undefined || last.seq <= sealedThrough) {
      return new WriterChain(writer, { seq: sealedThrough, lastHash: sealedHash, unsealed: [], sealedHash }, lastSignatureHash, now);
    }
    return new WriterChain(writer, { seq: last.seq, lastHash: last.hash, unsealed: [...unsealed], sealedHash }, lastSignatureHash, now);
  }

  /** The seq of the last record chained and committed (0 for a new writer). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** How many written records no digest seals yet. */
  get unsealedCount(): number {
    return this.#unsealed.length;
  }

  /** When the last digest was made (or the chain opened). */
  get lastSealAt(): number {
    return this.#lastSealAt;
  }

  /** Chains `eventJsons` after the current head, without changing it. */
  extend(eventJsons: readonly string[]): ChainedRecord[] {
    let seq = this.#seq;
    let prevHash = this.#lastHash;
    return eventJsons.map((json) => {
      seq += 1;
      const hash = recordHash(prevHash, this.writer, seq, json);
      const record = { seq, prevHash, hash };
      prevHash = hash;
      return record;
    });
  }

  /** Moves the head over committed records. */
  advance(records: readonly ChainedRecord[]): void {
    const last = records[records.length - 1];
    if (last === undefined) return;
    this.#seq = last.seq;
    this.#lastHash = last.hash;
    for (const record of records) this.#unsealed.push(record.hash);
  }

  /**
   * The signed digest sealing every unsealed record plus `pending` (records of the same transaction), or
   * undefined when there is nothing to seal.
   */
  digest(privateKey: KeyObject, pending: readonly ChainedRecord[], time: number): Digest | undefined {
    const hashes = [...this.#unsealed, ...pending.map((record) => record.hash)];
    const last = hashes[hashes.length - 1];
    if (last === undefined) return undefined;
    const toSeq = pending[pending.length - 1]?.seq ?? this.#seq;
    const fromSeq = toSeq - hashes.length + 1;
    return sealDigest(privateKey, {
      writer: this.writer, fromSeq, toSeq, firstPrevHash: this.#sealedHash, lastHash: last,
      recordHashes: Buffer.concat(hashes, hashes.length * HASH_LENGTH), time, prevSignatureHash: this.#lastSignatureHash,
    });
  }

  /** Records that `digest` was committed. */
  sealed(digest: Digest): void {
    this.#unsealed = [];
    this.#sealedHash = digest.lastHash;
    this.#lastSignatureHash = sha256(digest.signature);
    this.#lastSealAt = digest.time;
  }
}

/** What a writer's chain is resumed from: its retention marker, last digest, last record and unsealed hashes. */
export interface StoredChain {
  readonly writer: string;
  readonly marker: RetentionMarker | undefined;
  readonly lastDigest: Digest | undefined;
  readonly last: { readonly seq: number; readonly hash: Buffer } | undefined;
  /** The hashes of the records after the last digest (or marker), in seq order. */
  readonly unsealed: readonly Buffer[];
}

/** Reads what `WriterChain.fromStored` resumes `writer`'s chain from, on any audit store. */
export function* storedChainPlan(writer: string): SqlPlan<StoredChain> {
  const marker = yield* readRetentionMarkerPlan(writer);
  const lastDigest = yield* readLastDigestPlan(writer);
  const sealedThrough = lastDigest?.toSeq ?? marker?.throughSeq ?? 0;
  const last = yield* firstRow<{ seq: number; hash: Buffer }>(
    'SELECT seq, hash FROM audit_records WHERE writer = ? ORDER BY seq DESC LIMIT 1', writer,
  );
  const unsealed = last === undefined || last.seq <= sealedThrough ? [] : (yield* rows<{ hash: Buffer }>(
    'SELECT hash FROM audit_records WHERE writer = ? AND seq > ? ORDER BY seq', writer, sealedThrough,
  )).map((row) => row.hash);
  return { writer, marker, lastDigest, last, unsealed };
}
