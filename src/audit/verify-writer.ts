import { indexColumnsOf } from './audit-database.js';
import type { CloudTrailEvent } from './event.js';
import { recordHash } from './record-hash.js';
import type { ProblemKind } from './verify.js';

/** A record row as stored, with its resource rows as `type|name|time` strings, sorted. */
export interface StoredRecord {
  readonly id: number;
  readonly seq: number;
  readonly prev_hash: Buffer;
  readonly hash: Buffer;
  readonly event_json: string;
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

export interface WriterRecords {
  readonly writer: string;
  /** The first seq that should exist (1, or the one after a retention marker). */
  readonly startSeq: number;
  /** seq → the hash an authentic digest (or the retention marker, at startSeq - 1) says it has. */
  readonly sealed: ReadonlyMap<number, Buffer>;
  readonly sealedThrough: number;
  /** Sorted by seq, then id. */
  readonly records: readonly StoredRecord[];
  readonly report: (seq: number, kind: ProblemKind, detail: string) => void;
}

/** How far from its place a displaced record is looked for (swaps and shifts are local). */
const REORDER_WINDOW = 256;

/**
 * Walks one writer's records seq by seq. The hash a record must have comes from the digests where sealed, and
 * from the next record's `prevHash` in the unsealed tail; a record is genuine when its own hash recomputes,
 * it links to its predecessor, and it has the hash its seq must have. See docs/audit-trail.md, "Verification".
 */
export function verifyWriterRecords(input: WriterRecords): void {
  const { writer, startSeq, sealed, sealedThrough, records, report } = input;
  const bySeq = new Map<number, StoredRecord[]>();
  for (const record of records) {
    const group = bySeq.get(record.seq) ?? [];
    group.push(record);
    bySeq.set(record.seq, group);
  }
  const selfValidAt = (record: StoredRecord, seq: number): boolean =>
    recordHash(record.prev_hash, writer, seq, record.event_json).equals(record.hash);
  /** The hash seq must have: sealed, or what the (self-valid) record after it chains from. */
  const expectedHash = (seq: number): Buffer | undefined => {
    const fromDigest = sealed.get(seq);
    if (fromDigest !== undefined) return fromDigest;
    const next = bySeq.get(seq + 1)?.find((record) => selfValidAt(record, seq + 1));
    return next?.prev_hash;
  };
  /** Whether a record belongs at another seq near `seq` (its seq column or its content was moved). */
  const belongsElsewhere = (record: StoredRecord, seq: number): boolean => {
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
  for (let seq = startSeq; seq <= Math.max(maxRecordSeq, sealedThrough); seq += 1) {
    const group = bySeq.get(seq) ?? [];
    const expected = expectedHash(seq);
    if (group.length === 0) {
      report(seq, 'removed', 'the record is missing');
      prevHash = expected;
      continue;
    }
    const isGenuine = (record: StoredRecord): boolean =>
      selfValidAt(record, seq) &&
      (prevHash === undefined || record.prev_hash.equals(prevHash)) &&
      (expected === undefined || record.hash.equals(expected));
    const genuine = group.find(isGenuine);
    for (const record of group) {
      if (record === genuine) {
        if (!columnsMatch(record)) report(seq, 'altered', 'the lookup columns do not match the recorded event');
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
}

/** Whether the lookup columns (and resource rows) are those derived from the recorded event. */
function columnsMatch(record: StoredRecord): boolean {
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
