import { createHash } from 'node:crypto';

/**
 * The hash chain of a writer (format in docs/audit-trail.md, "Record hash"):
 *
 *   hash(n) = SHA-256( hash(n-1) || "strongroom-audit-record/1" || u32be len(writer) || writer
 *                      || u64be seq || u32be len(eventJson) || eventJson )
 *
 * with hash(0) = 32 zero bytes (or the retention marker's hash when older records were removed). The lengths
 * make the encoding unambiguous; the writer and seq in the hash pin every record to its place in its chain.
 */

/** Length of a SHA-256 hash. */
export const HASH_LENGTH = 32;

/** The `prevHash` of a writer's first record. */
export const GENESIS_HASH: Buffer = Buffer.alloc(HASH_LENGTH);

const RECORD_DOMAIN = Buffer.from('strongroom-audit-record/1', 'utf8');

/** The canonical bytes of a record (everything but its previous hash). */
export function canonicalRecordBytes(writer: string, seq: number, eventJson: string): Buffer {
  const writerBytes = Buffer.from(writer, 'utf8');
  const eventBytes = Buffer.from(eventJson, 'utf8');
  const header = Buffer.alloc(4 + writerBytes.length + 8 + 4);
  header.writeUInt32BE(writerBytes.length, 0);
  writerBytes.copy(header, 4);
  header.writeBigUInt64BE(BigInt(seq), 4 + writerBytes.length);
  header.writeUInt32BE(eventBytes.length, 4 + writerBytes.length + 8);
  return Buffer.concat([RECORD_DOMAIN, header, eventBytes]);
}

/**
 * The chain hash of a record.
 *
 * @example
 *   const first = recordHash(GENESIS_HASH, 'host-1-1700000000', 1, JSON.stringify(event));
 */
export function recordHash(prevHash: Buffer, writer: string, seq: number, eventJson: string): Buffer {
  return createHash('sha256').update(prevHash).update(canonicalRecordBytes(writer, seq, eventJson)).digest();
}

/** SHA-256 of `bytes` (digest signatures are chained by the hash of the previous signature). */
export function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}
