import { indexColumnsOf, type AuditDatabase } from './audit-database.js';
import { rows as rowsOf, type SqlPlan } from '../store/audit-store.js';
import type { CloudTrailEvent } from './event.js';
import type { ProblemKind } from './problem-kind.js';
import { recordHash } from './record-hash.js';

/*
 * One writer's records verified from any point of its chain (its digests: digest-chain.ts): the full `audit verify`
 * starts at its retention marker (or the genesis) and walks everything; the indexing thread's chain watch
 * (chain-watch.ts) starts where its previous check ended and walks only what was indexed since. Both use these
 * functions, so the rules exist once.
 */

/** Reports a finding about the record (or digest) at `seq` of the writer being verified. */
export type ReportProblem = (seq: number, kind: ProblemKind, detail: string) => void;

/** What a record's place in its chain is checked with: its seq, hashes and event JSON as stored. */
export interface ChainRecord {
  readonly id: number;
  readonly seq: number;
  readonly prev_hash: Buffer;
  readonly hash: Buffer;
  readonly event_json: string;
}

/** A record row as stored, with its lookup columns and its resource rows as `type|name|time` strings, sorted. */
export interface StoredRecord extends ChainRecord {
  readonly event_time: number;
  readonly event_id: string;
  readonly event_name: string;
  readonly read_only: string;
  readonly username: string | null;
  readonly access_key_id: string | null;
  readonly event_source: string;
  readonly account_id: string;
  readonly error_code: string | null;
  readonly resources: readonly string[];
}

export interface WriterRecords<R extends ChainRecord> {
  readonly writer: string;
  /** The first seq that should exist (1, or the one after a retention marker). */
  readonly startSeq: number;
  /** seq → the hash an authentic digest (or the retention marker, at startSeq - 1) says it has. */
  readonly sealed: ReadonlyMap<number, Buffer>;
  readonly sealedThrough: number;
  /** Sorted by seq, then id. */
  readonly records: readonly R[];
  /** Also checks each genuine record's lookup columns (`audit verify` does: see {@link lookupColumnsMatch}). */
  readonly columnsMatch?: (record: R) => boolean;
  readonly report: ReportProblem;
}

/** Where a walk of a writer's records ended: the last seq it covered and the hash that seq must have. */
export interface RecordChainHead {
  readonly seq: number;
  /** Undefined only when nothing said which hash that seq has (a removed record in the unsealed tail). */
  readonly hash: Buffer | undefined;
}

/**
 * A writer's records from `fromSeq` on, by seq then id, as their chain is checked: through the `(writer, seq)`
 * index, so the cost is that of the records read, not of the trail. Rows whose ids are in `skip` are left out (the
 * chain watch holds them already: chain-watch.ts).
 */
export function loadChainRecords(
  db: AuditDatabase, writer: string, fromSeq: number, skip: { readonly firstId: number; readonly lastId: number } = NO_ROWS,
): ChainRecord[] {
  return db.prepare(
    'SELECT id, seq, prev_hash, hash, event_json FROM audit_records WHERE writer = ? AND seq >= ? AND id NOT BETWEEN ? AND ? ORDER BY seq, id',
  ).all(writer, fromSeq, skip.firstId, skip.lastId) as ChainRecord[];
}

/** An empty range of row ids. */
const NO_ROWS = { firstId: 0, lastId: -1 };

/** A writer's records as stored, with their lookup columns and resource rows, by seq then id (any audit store). */
export function* loadWriterRecords(writer: string): SqlPlan<StoredRecord[]> {
  const rows = yield* rowsOf<Omit<StoredRecord, 'resources'>>(
    `SELECT id, seq, prev_hash, hash, event_json, event_time, event_id, event_name, read_only, username, access_key_id,
       event_source, account_id, error_code FROM audit_records WHERE writer = ? ORDER BY seq, id`,
    writer,
  );
  const resources = new Map<number, string[]>();
  const resourceRows = yield* rowsOf<{ record_id: number; resource_type: string; resource_name: string; event_time: number }>(
    `SELECT r.record_id, r.resource_type, r.resource_name, r.event_time FROM audit_resources r
     JOIN audit_records e ON e.id = r.record_id WHERE e.writer = ?`,
    writer,
  );
  for (const row of resourceRows) {
    const list = resources.get(row.record_id) ?? [];
    list.push(`${row.resource_type}|${row.resource_name}|${row.event_time}`);
    resources.set(row.record_id, list);
  }
  return rows.map((row) => ({ ...row, resources: (resources.get(row.id) ?? []).sort() }));
}

/** How far from its place a displaced record is looked for (swaps and shifts are local). */
const REORDER_WINDOW = 256;

/**
 * Walks one writer's records seq by seq from `startSeq`. The hash a record must have comes from the digests where
 * sealed, and from the next record's `prevHash` in the unsealed tail; a record is genuine when its own hash
 * recomputes, it links to its predecessor, and it has the hash its seq must have. See docs/audit-trail.md,
 * "Verification". Returns where the walk ended, so that a later walk can go on from there.
 */
export function verifyWriterRecords<R extends ChainRecord>(input: WriterRecords<R>): RecordChainHead {
  const { writer, startSeq, sealed, sealedThrough, records, columnsMatch, report } = input;
  const bySeq = new Map<number, R[]>();
  for (const record of records) {
    const group = bySeq.get(record.seq) ?? [];
    group.push(record);
    bySeq.set(record.seq, group);
  }
  // In the unsealed tail each record is hashed as its predecessor's successor and then as itself: once is enough.
  const validAtOwnSeq = new Map<R, boolean>();
  const selfValidAt = (record: R, seq: number): boolean => {
    const known = seq === record.seq ? validAtOwnSeq.get(record) : undefined;
    if (known !== undefined) return known;
    const valid = recordHash(record.prev_hash, writer, seq, record.event_json).equals(record.hash);
    if (seq === record.seq) validAtOwnSeq.set(record, valid);
    return valid;
  };
  /** The hash seq must have: sealed, or what the (self-valid) record after it chains from. */
  const expectedHash = (seq: number): Buffer | undefined => {
    const fromDigest = sealed.get(seq);
    if (fromDigest !== undefined) return fromDigest;
    const next = bySeq.get(seq + 1)?.find((record) => selfValidAt(record, seq + 1));
    return next?.prev_hash;
  };
  /** Whether a record belongs at another seq near `seq` (its seq column or its content was moved). */
  const belongsElsewhere = (record: R, seq: number): boolean => {
    for (let other = Math.max(startSeq, seq - REORDER_WINDOW); other <= seq + REORDER_WINDOW; other += 1) {
      if (other === seq) continue;
      if (selfValidAt(record, other)) return true;
      const hashThere = expectedHash(other);
      const prevThere = expectedHash(other - 1);
      if (hashThere !== undefined && prevThere !== undefined &&
        recordHash(prevThere, writer, other, record.event_json).equals(hashThere)) return true;
    }
    return false;
  };

  const maxRecordSeq = records.reduce((max, record) => Math.max(max, record.seq), 0);
  for (const record of records) {
    if (record.seq < startSeq) report(record.seq, 'inserted', 'a record older than the retained part of the chain');
  }
  let prevHash: Buffer | undefined = sealed.get(startSeq - 1);
  const lastSeq = Math.max(startSeq - 1, maxRecordSeq, sealedThrough);
  for (let seq = startSeq; seq <= lastSeq; seq += 1) {
    const group = bySeq.get(seq) ?? [];
    const expected = expectedHash(seq);
    if (group.length === 0) {
      report(seq, 'removed', 'the record is missing');
      prevHash = expected;
      continue;
    }
    const isGenuine = (record: R): boolean =>
      selfValidAt(record, seq) &&
      (prevHash === undefined || record.prev_hash.equals(prevHash)) &&
      (expected === undefined || record.hash.equals(expected));
    const genuine = group.find(isGenuine);
    for (const record of group) {
      if (record === genuine) {
        if (columnsMatch?.(record) === false) report(seq, 'altered', 'the lookup columns do not match the recorded event');
      } else if (belongsElsewhere(record, seq)) {
        report(seq, 'reordered', 'a genuine record of this chain stored at the wrong place');
      } else if (genuine !== undefined || record !== group[0]) {
        report(seq, 'inserted', 'an extra record for a seq that already has its genuine record');
      } else if (prevHash !== undefined && !record.prev_hash.equals(prevHash) && selfValidAt(record, seq)) {
        report(seq, 'inserted', 'a record that does not link to its predecessor');
      } else {
        report(seq, 'altered', 'the record does not hash to what its chain and digest say');
      }
    }
    prevHash = genuine?.hash ?? expected ?? group[0]?.hash;
  }
  if (maxRecordSeq > sealedThrough) {
    report(sealedThrough + 1, 'unsealed-tail', `records ${sealedThrough + 1}..${maxRecordSeq} are not sealed by a digest yet`);
  }
  return { seq: lastSeq, hash: prevHash };
}

/** Whether the lookup columns (and resource rows) are those derived from the recorded event. */
export function lookupColumnsMatch(record: StoredRecord): boolean {
  let event: CloudTrailEvent;
  try {
    event = JSON.parse(record.event_json) as CloudTrailEvent;
    const c = indexColumnsOf(event);
    const resources = c.resources.map((resource) => `${resource.type}|${resource.name}|${c.eventTime}`).sort();
    return (
      c.eventTime === record.event_time && c.eventId === record.event_id && c.eventName === record.event_name &&
      c.readOnly === record.read_only && c.username === record.username && c.accessKeyId === record.access_key_id &&
      c.eventSource === record.event_source && c.accountId === record.account_id && c.errorCode === record.error_code &&
      resources.length === record.resources.length && resources.every((value, index) => value === record.resources[index])
    );
  } catch {
    return false;
  }
}
