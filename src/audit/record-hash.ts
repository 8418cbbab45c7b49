import { hash } from 'node:crypto';

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

/**
 * The chain hash of a record.
 *
 * @example
 *   const first = recordHash(GENESIS_HASH, 'host-1-1700000000', 1, JSON.stringify(event));
 */
export function recordHash(prevHash: Buffer, writer: string, seq: number, eventJson: string): Buffer {
  // One buffer and a one-shot hash: this runs for every request, and a Hash object costs more than the hashing.
  return hash('sha256', recordHashInput(prevHash, writer, seq, eventJson), 'buffer');
}

/** SHA-256 of `bytes` (digest signatures are chained by the hash of the previous signature). */
export function sha256(bytes: Uint8Array): Buffer {
  return hash('sha256', bytes, 'buffer');
}

/** The bytes a record's hash covers, in the order above, written into one buffer. */
function recordHashInput(prevHash: Buffer, writer: string, seq: number, eventJson: string): Buffer {
  const writerLength = Buffer.byteLength(writer, 'utf8');
  const eventLength = Buffer.byteLength(eventJson, 'utf8');
  const bytes = Buffer.allocUnsafe(prevHash.length + RECORD_DOMAIN.length + 4 + writerLength + 8 + 4 + eventLength);
  let offset = prevHash.copy(bytes, 0);
  offset += RECORD_DOMAIN.copy(bytes, offset);
  offset = bytes.writeUInt32BE(writerLength, offset);
  offset += bytes.write(writer, offset, 'utf8');
  offset = bytes.writeBigUInt64BE(BigInt(seq), offset);
  offset = bytes.writeUInt32BE(eventLength, offset);
  bytes.write(eventJson, offset, 'utf8');
  return bytes;
}
