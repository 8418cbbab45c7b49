import type { KeyObject } from 'node:crypto';
import type { AuditDatabase } from './audit-database.js';
import {
  isAuthenticDigest, isAuthenticRetentionMarker, readDigestsStoredAfter, readLastDigest, readRetentionMarker, type Digest,
} from './digest.js';
import { sha256 } from './record-hash.js';
import type { ProblemKind } from './problem-kind.js';
import { chainStartOf, followDigests, type DigestChainHead } from './digest-chain.js';
import type { JournalImporter, StoredChunk } from './journal-import.js';
import { loadChainRecords, verifyWriterRecords, type ChainRecord, type ReportProblem } from './verify-writer.js';

/** A break in the trail: where it is and what kind, never anything of the event. */
export interface ChainBreak {
  readonly writer: string;
  readonly seq: number;
  readonly kind: Exclude<ProblemKind, 'unsealed-tail'>;
}

/** What the check after an import found: the breaks, or the name of the error that stopped it. */
export type ChainCheck = { readonly breaks: readonly ChainBreak[] } | { readonly error: { readonly name: string } };

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
 * Verifies the audit trail as it grows, on the indexing thread, with each import (importAndCheck): the records and
 * digests stored since its previous check (of every writer, or of one: see `check`), from where that check left each
 * writer, with the rules of `audit verify` (verify-writer.ts, digest-chain.ts). A record must hash to its hash, link
 * to its predecessor and follow it in seq; a new digest must be signed by the audit key and chain to the previous
 * one, and when it arrives the records it seals are read again and checked against it (so a row edited in audit.db
 * after it was first checked is found when it is sealed). Each record is thus read at most twice: the cost follows
 * what is new, never the size of the trail.
 *
 * The first check starts each writer at its last digest (or retention marker, or the beginning): what was sealed
 * before this process started is left to `strongroom audit verify`. Positions are kept in memory only.
 *
 * Each break is reported once. See docs/audit-trail.md, "Continuous verification".
 *
 * @example
 *   const watch = new ChainWatch(db, loadAuditPublicKey(publicKeyPem));
 *   const { chain } = importAndCheck(importer, watch, undefined); // or: importer.import(); watch.check();
 *   if (chain && 'breaks' in chain) for (const found of chain.breaks) log.error('audit-chain-broken', { ...found });
 */
export class ChainWatch {
  readonly #db: AuditDatabase;
  readonly #publicKey: KeyObject;
  #positions = new Map<string, WriterPosition>();
  /** How far the last check of every writer went; undefined until the first check. */
  #checked: Checked | undefined;
  /** Writers checked alone since then, and how far (past `#checked`): those rows are not checked twice. */
  #checkedAhead = new Map<string, Checked>();
  /** Breaks already reported (a record found altered when indexed is found again when it is sealed). */
  #reported = new Set<string>();

  constructor(db: AuditDatabase, publicKey: KeyObject) {
    this.#db = db;
    this.#publicKey = publicKey;
  }

  /**
   * Checks what was stored since the previous check (in one read transaction) and returns the new breaks. With
   * `writer`, only that writer's records and digests: what a serving process's background index brought in (its own
   * journal), each record checked by its own writer's process instead of by every process (issue #19). A check of
   * every writer then skips what those checks covered. The first check covers every writer whatever it is asked.
   *
   * `stored`: called inside the import transaction that stored a chunk (JournalImporter's `onStored`), with its
   * records as they were inserted. Those rows are checked from that copy instead of being read back (reading them
   * was about 40% of a check's CPU, issue #19); they are exactly what the rows hold, since no other connection can
   * write before that transaction ends. Everything else is read from the database as always.
   */
  check(writer?: string, stored?: StoredChunk): ChainBreak[] {
    const found: ChainBreak[] = [];
    this.#db.transaction(() => {
      const now: Checked = { recordId: this.#maxId('audit_records'), digestId: this.#maxId('audit_digests') };
      if (this.#checked === undefined) {
        this.#checkFromLastSeals(found);
        this.#checked = now;
      } else if (writer === undefined) {
        this.#checkStoredAfter(this.#checked, found, undefined, stored);
        this.#checked = now;
        this.#checkedAhead.clear();
      } else {
        this.#checkStoredAfter(this.#checkedAhead.get(writer) ?? this.#checked, found, writer, stored);
        this.#checkedAhead.set(writer, now);
      }
    })();
    return found;
  }

  /**
   * What the watch knows now, as a function that puts it back: for a check made inside a transaction that then
   * rolled back (the rows it checked are gone, and will be stored and checked again). Positions are immutable
   * values, so copies of the maps suffice.
   */
  saved(): () => void {
    const positions = new Map(this.#positions);
    const checked = this.#checked;
    const checkedAhead = new Map(this.#checkedAhead);
    const reported = new Set(this.#reported);
    return () => {
      this.#positions = positions;
      this.#checked = checked;
      this.#checkedAhead = checkedAhead;
      this.#reported = reported;
    };
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
  #checkStoredAfter(checked: Checked, found: ChainBreak[], onlyWriter?: string, stored?: StoredChunk): void {
    // The rows stored since, but those of `stored` (known already): one or two ranges of row ids, each read through
    // the primary key (`+writer` keeps SQLite off the (writer, seq) index, whose every entry of the writer it would
    // otherwise walk: a cost that grew with the writer's history, not with what is new).
    const ranges = stored === undefined
      ? [[checked.recordId, Number.MAX_SAFE_INTEGER]]
      : [[checked.recordId, stored.firstId], [Math.max(checked.recordId, stored.lastId), Number.MAX_SAFE_INTEGER]];
    const inRange = this.#db.prepare(
      `SELECT id, writer, seq FROM audit_records WHERE id > ? AND id < ?${onlyWriter === undefined ? '' : ' AND +writer = ?'}`,
    );
    const rows = [
      ...ranges.flatMap(([after, before]) =>
        inRange.all(after, before, ...(onlyWriter === undefined ? [] : [onlyWriter])) as { id: number; writer: string; seq: number }[]),
      ...[...(stored?.records ?? [])].filter(([writer]) => onlyWriter === undefined || writer === onlyWriter)
        .flatMap(([writer, records]) => records.map(({ id, seq }) => ({ id, writer, seq }))),
    ];
    const ahead = (writer: string) => this.#checkedAhead.get(writer) ?? checked;
    const newSeqs = groupBy(rows.filter((row) => row.id > ahead(row.writer).recordId), (row) => row.writer, (row) => row.seq);
    const digests = readDigestsStoredAfter(this.#db, checked.digestId, onlyWriter).filter(({ id, digest }) => id > ahead(digest.writer).digestId);
    const newDigests = groupBy(digests, ({ digest }) => digest.writer, ({ digest }) => digest);
    for (const writer of new Set([...newSeqs.keys(), ...newDigests.keys()])) {
      const report = this.#reporter(writer, found);
      // A writer first seen now has every record stored since the last check: verified from its beginning.
      const position = this.#positions.get(writer) ?? this.#positionAtStart(writer, report);
      const startSeq = this.#verify(writer, position, newDigests.get(writer) ?? [], report, stored);
      for (const seq of newSeqs.get(writer) ?? []) {
        if (seq < startSeq) report(seq, 'inserted', 'a record added to a part of the chain already verified');
      }
    }
  }

  /**
   * Verifies `writer` from `position` over `digests` (stored since the last check) and the records from where they
   * must be read; remembers where it ended and returns the first seq it read.
   */
  #verify(writer: string, position: WriterPosition, digests: readonly Digest[], report: ReportProblem, stored?: StoredChunk): number {
    // New digests: the records they seal are read again, from the end of the sealed part.
    const resealed = digests.length > 0;
    const startSeq = resealed ? position.digests.nextFromSeq : position.seq + 1;
    const startHash = resealed ? position.sealedHash : position.hash;
    const sealed = new Map<number, Buffer>(startHash === undefined ? [] : [[startSeq - 1, startHash]]);
    const digestHead = followDigests(this.#publicKey, position.digests, digests, sealed, report);
    const sealedThrough = digestHead.nextFromSeq - 1;
    const records = this.#chainRecords(writer, startSeq, stored);
    const head = verifyWriterRecords({ writer, startSeq, sealed, sealedThrough, records, report });
    this.#positions.set(writer, {
      seq: head.seq,
      hash: head.hash,
      sealedHash: sealed.get(sealedThrough) ?? position.sealedHash,
      digests: digestHead,
    });
    return startSeq;
  }

  /** `writer`'s records from `startSeq` on, by seq then id: those of `stored` as inserted, the others as read. */
  #chainRecords(writer: string, startSeq: number, stored: StoredChunk | undefined): ChainRecord[] {
    if (stored === undefined) return loadChainRecords(this.#db, writer, startSeq);
    const inserted = (stored.records.get(writer) ?? []).filter((record) => record.seq >= startSeq);
    return [...loadChainRecords(this.#db, writer, startSeq, stored), ...inserted].sort((a, b) => a.seq - b.seq || a.id - b.id);
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

/**
 * What the indexing thread does each run (indexer-worker.ts): imports (this writer's journal, or every journal), and
 * checks what the import stored: each chunk inside the transaction that stored it (from the records as
 * inserted, not read back: ChainWatch.check), or, when the import stored nothing, what others stored. An error
 * in a check is reported by name only (it says nothing of the import, which stands). When a chunk's commit fails
 * after its check, the watch is put back as it was before that check, and the import's error is thrown.
 */
export function importAndCheck(
  importer: JournalImporter, watch: ChainWatch | undefined, ownWriter: string | undefined,
): { records: number; chain?: ChainCheck } {
  const scope = ownWriter === undefined ? {} : { writer: ownWriter };
  if (watch === undefined) return { records: importer.import(scope) };
  const breaks: ChainBreak[] = [];
  let failed: { name: string } | undefined;
  const check = (stored?: StoredChunk) => {
    if (failed !== undefined) return; // later chunks are left to the next run's check, which reads them back
    try {
      breaks.push(...watch.check(ownWriter, stored));
    } catch (error) {
      failed = { name: error instanceof Error ? error.name : 'Error' };
    }
  };
  let chunks = 0;
  let restore: (() => void) | undefined;
  const records = importer.import({
    ...scope,
    onStored: (stored) => {
      chunks += 1;
      restore = watch.saved();
      check(stored);
    },
    onRolledBack: () => restore?.(),
  });
  if (chunks === 0) check();
  return { records, chain: failed === undefined ? { breaks } : { error: failed } };
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
