import type { KeyObject } from 'node:crypto';
import type { AuditDatabase } from './audit-database.js';
import {
  isAuthenticDigest, isAuthenticRetentionMarker, readDigestsStoredAfter, readLastDigest, readRetentionMarker, type Digest,
} from './digest.js';
import { sha256 } from './record-hash.js';
import type { ProblemKind } from './problem-kind.js';
import { chainStartOf, followDigests, type DigestChainHead } from './digest-chain.js';
import { loadChainRecords, verifyWriterRecords, type ReportProblem } from './verify-writer.js';

/** A break in the trail: where it is and what kind, never anything of the event. */
export interface ChainBreak {
  readonly writer: string;
  readonly seq: number;
  readonly kind: Exclude<ProblemKind, 'unsealed-tail'>;
}

/** How far a writer's chain has been verified. */
interface WriterPosition {
  /** The last seq verified, and the hash it must have (unknown only after a removed record of the unsealed tail). */
  readonly seq: number;
  readonly hash: Buffer | undefined;
  /** The hash of the last sealed seq: what the first record a new digest seals chains from. */
  readonly sealedHash: Buffer;
  readonly digests: DigestChainHead;
}

/** Row ids: what lies above those of the previous check was stored since. */
interface Checked {
  readonly recordId: number;
  readonly digestId: number;
}

/**
 * Verifies the audit trail as it grows, on the indexing thread, after each import: the records and digests stored
 * since its previous check (of every writer, or of one: see `check`), from where that check left each writer, with
 * the rules of `audit verify`
 * (verify-writer.ts, digest-chain.ts). A record must hash to its hash, link to its predecessor and follow it in seq; a new digest
 * must be signed by the audit key and chain to the previous one, and when it arrives the records it seals are
 * read again and checked against it (so a row edited in audit.db after it was first checked is found when it is
 * sealed). Each record is thus read at most twice: the cost follows what is new, never the size of the trail.
 *
 * The first check starts each writer at its last digest (or retention marker, or the beginning): what was sealed
 * before this process started is left to `strongroom audit verify`. Positions are kept in memory only.
 *
 * Each break is reported once. See docs/audit-trail.md, "Continuous verification".
 *
 * @example
 *   const watch = new ChainWatch(db, loadAuditPublicKey(publicKeyPem));
 *   importer.import();
 *   for (const found of watch.check()) log.error('audit-chain-broken', { ...found });
 */
export class ChainWatch {
  readonly #db: AuditDatabase;
  readonly #publicKey: KeyObject;
  readonly #positions = new Map<string, WriterPosition>();
  /** How far the last check of every writer went; undefined until the first check. */
  #checked: Checked | undefined;
  /** Writers checked alone since then, and how far (past `#checked`): those rows are not checked twice. */
  readonly #checkedAhead = new Map<string, Checked>();
  /** Breaks already reported (a record found altered when indexed is found again when it is sealed). */
  readonly #reported = new Set<string>();

  constructor(db: AuditDatabase, publicKey: KeyObject) {
    this.#db = db;
    this.#publicKey = publicKey;
  }

  /**
   * Checks what was stored since the previous check (in one read transaction) and returns the new breaks. With
   * `writer`, only that writer's records and digests: what a serving process's background index brought in (its own
   * journal), each record checked by its own writer's process instead of by every process (issue #19). A check of
   * every writer then skips what those checks covered. The first check covers every writer whatever it is asked.
   */
  check(writer?: string): ChainBreak[] {
    const found: ChainBreak[] = [];
    this.#db.transaction(() => {
      const now: Checked = { recordId: this.#maxId('audit_records'), digestId: this.#maxId('audit_digests') };
      if (this.#checked === undefined) {
        this.#checkFromLastSeals(found);
        this.#checked = now;
      } else if (writer === undefined) {
        this.#checkStoredAfter(this.#checked, found);
        this.#checked = now;
        this.#checkedAhead.clear();
      } else {
        this.#checkStoredAfter(this.#checkedAhead.get(writer) ?? this.#checked, found, writer);
        this.#checkedAhead.set(writer, now);
      }
    })();
    return found;
  }

  /** The first check: every writer with records, from its last digest (or marker, or beginning). */
  #checkFromLastSeals(found: ChainBreak[]): void {
    for (const writer of this.#writersWithRecords()) {
      const report = this.#reporter(writer, found);
      this.#verify(writer, this.#positionAtLastSeal(writer, report), [], report);
    }
  }

  /**
   * Every writer (or `onlyWriter`) with records or digests stored since `checked`, from where it was left; rows a
   * check of their writer alone already covered are left out.
   */
  #checkStoredAfter(checked: Checked, found: ChainBreak[], onlyWriter?: string): void {
    const rows = (onlyWriter === undefined
      ? this.#db.prepare('SELECT id, writer, seq FROM audit_records WHERE id > ?').all(checked.recordId)
      : this.#db.prepare('SELECT id, writer, seq FROM audit_records WHERE id > ? AND writer = ?').all(checked.recordId, onlyWriter)) as
      { id: number; writer: string; seq: number }[];
    const ahead = (writer: string) => this.#checkedAhead.get(writer) ?? checked;
    const newSeqs = groupBy(rows.filter((row) => row.id > ahead(row.writer).recordId), (row) => row.writer, (row) => row.seq);
    const digests = readDigestsStoredAfter(this.#db, checked.digestId, onlyWriter).filter(({ id, digest }) => id > ahead(digest.writer).digestId);
    const newDigests = groupBy(digests, ({ digest }) => digest.writer, ({ digest }) => digest);
    for (const writer of new Set([...newSeqs.keys(), ...newDigests.keys()])) {
      const report = this.#reporter(writer, found);
      // A writer first seen now has every record stored since the last check: verified from its beginning.
      const position = this.#positions.get(writer) ?? this.#positionAtStart(writer, report);
      const startSeq = this.#verify(writer, position, newDigests.get(writer) ?? [], report);
      for (const seq of newSeqs.get(writer) ?? []) {
        if (seq < startSeq) report(seq, 'inserted', 'a record added to a part of the chain already verified');
      }
    }
  }

  /**
   * Verifies `writer` from `position` over `digests` (stored since the last check) and the records from where they
   * must be read; remembers where it ended and returns the first seq it read.
   */
  #verify(writer: string, position: WriterPosition, digests: readonly Digest[], report: ReportProblem): number {
    // New digests: the records they seal are read again, from the end of the sealed part.
    const resealed = digests.length > 0;
    const startSeq = resealed ? position.digests.nextFromSeq : position.seq + 1;
    const startHash = resealed ? position.sealedHash : position.hash;
    const sealed = new Map<number, Buffer>(startHash === undefined ? [] : [[startSeq - 1, startHash]]);
    const digestHead = followDigests(this.#publicKey, position.digests, digests, sealed, report);
    const sealedThrough = digestHead.nextFromSeq - 1;
    const records = loadChainRecords(this.#db, writer, startSeq);
    const head = verifyWriterRecords({ writer, startSeq, sealed, sealedThrough, records, report });
    this.#positions.set(writer, {
      seq: head.seq,
      hash: head.hash,
      sealedHash: sealed.get(sealedThrough) ?? position.sealedHash,
      digests: digestHead,
    });
    return startSeq;
  }

  /** Right after the writer's last digest (whose signature is checked), else at its start. */
  #positionAtLastSeal(writer: string, report: ReportProblem): WriterPosition {
    const digest = readLastDigest(this.#db, writer);
    const marker = readRetentionMarker(this.#db, writer);
    if (digest === undefined || digest.toSeq <= (marker?.throughSeq ?? 0)) return this.#positionAtStart(writer, report);
    if (!isAuthenticDigest(this.#publicKey, digest)) {
      report(digest.toSeq, 'bad-digest', `the digest of records ${digest.fromSeq}..${digest.toSeq} does not verify`);
    }
    return {
      seq: digest.toSeq,
      hash: digest.lastHash,
      sealedHash: digest.lastHash,
      digests: { nextFromSeq: digest.toSeq + 1, prevSignatureHash: sha256(digest.signature), lastSignature: digest.signature, afterBadDigest: false },
    };
  }

  /** Right after the writer's retention marker (whose signature is checked), or at the genesis. */
  #positionAtStart(writer: string, report: ReportProblem): WriterPosition {
    const marker = readRetentionMarker(this.#db, writer);
    if (marker !== undefined && !isAuthenticRetentionMarker(this.#publicKey, marker)) {
      report(marker.throughSeq, 'bad-digest', 'the retention marker signature does not verify');
    }
    const start = chainStartOf(marker);
    return { seq: start.seq, hash: start.hash, sealedHash: start.hash, digests: start.digests };
  }

  /** Collects each new break once; unsealed tails are not breaks. */
  #reporter(writer: string, found: ChainBreak[]): ReportProblem {
    return (seq, kind) => {
      if (kind === 'unsealed-tail') return;
      const key = JSON.stringify([writer, seq, kind]);
      if (this.#reported.has(key)) return;
      this.#reported.add(key);
      found.push({ writer, seq, kind });
    };
  }

  /** Each writer once, by skipping through the `(writer, seq)` index: a step per writer, not per record. */
  #writersWithRecords(): string[] {
    const rows = this.#db.prepare(
      `WITH RECURSIVE writers(writer) AS (
         SELECT MIN(writer) FROM audit_records
         UNION ALL SELECT (SELECT MIN(writer) FROM audit_records WHERE writer > writers.writer) FROM writers WHERE writer IS NOT NULL
       ) SELECT writer FROM writers WHERE writer IS NOT NULL`,
    ).all() as { writer: string }[];
    return rows.map((row) => row.writer);
  }

  #maxId(table: 'audit_records' | 'audit_digests'): number {
    return (this.#db.prepare(`SELECT MAX(id) AS id FROM ${table}`).get() as { id: number | null }).id ?? 0;
  }
}

function groupBy<T, V>(items: readonly T[], keyOf: (item: T) => string, valueOf: (item: T) => V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group === undefined) groups.set(keyOf(item), [valueOf(item)]);
    else group.push(valueOf(item));
  }
  return groups;
}
