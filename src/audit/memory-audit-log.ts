import type { KeyObject } from 'node:crypto';
import type { SecretBytes } from '../crypto/secret-bytes.js';
import { IN_MEMORY_DATABASE, openAuditDatabase, type AuditDatabase } from './audit-database.js';
import { AuditWriteError, type AuditLog, type AuditSink, type CommittedEvent } from './audit-log.js';
import { insertDigest } from './digest.js';
import { prepareRecordInserter } from './journal-import.js';
import { loadAuditSigningKey } from './signing-key.js';
import { WriterChain } from './writer-chain.js';

export interface MemoryAuditLogOptions {
  /** The Ed25519 private key that signs digests. */
  readonly signingKey: KeyObject | SecretBytes;
  readonly now: () => number;
  readonly writerId: string;
  /** Seal a digest once this many records are unsealed (default 1000). */
  readonly sealEvery?: number;
  readonly sinks?: readonly AuditSink[];
  /** Called when a sink throws; the event is recorded regardless. */
  readonly onSinkError?: (error: unknown) => void;
}

/** An audit log whose records live in an in-memory audit database, which readers query directly. */
export interface MemoryAuditLog extends AuditLog {
  /** The database LookupEvents and GetKeyLastUsage read: the same tables as `audit.db`, in memory. */
  readonly database: AuditDatabase;
}

/**
 * The audit trail of an ephemeral server (`serve --ephemeral`, `startStrongroom`): the same records, hash chain
 * and signed digests as the durable log, in an in-memory SQLite database with the same tables, so LookupEvents
 * and GetKeyLastUsage answer as they do over `audit.db`. What it gives up, by design: durability (no journal, no
 * fsync; everything is gone when the process stops) and with it group commit and the indexing thread, which
 * exist to make durable writes cheap. An append is one insert on this thread, committed before it resolves.
 *
 * @example
 *   const log = openMemoryAuditLog({ signingKey, now: Date.now, writerId: `${hostname()}-${process.pid}` });
 *   await log.append(event);
 *   lookupEvents(log.database, { MaxResults: 1 });
 */
export function openMemoryAuditLog(options: MemoryAuditLogOptions): MemoryAuditLog {
  const privateKey = loadAuditSigningKey(options.signingKey);
  const db = openAuditDatabase(IN_MEMORY_DATABASE);
  const chain = WriterChain.resume(db, options.writerId, options.now());
  const insert = prepareRecordInserter(db);
  const sealEvery = Math.max(1, options.sealEvery ?? 1000);
  const sinks = options.sinks ?? [];
  let closed = false;

  function seal(): void {
    const digest = chain.digest(privateKey, [], options.now());
    if (digest === undefined) return;
    insertDigest(db, digest);
    chain.sealed(digest);
  }

  function deliver(committed: CommittedEvent): void {
    for (const sink of sinks) {
      try {
        sink.write([committed]);
      } catch (error) {
        options.onSinkError?.(error);
      }
    }
  }

  return {
    writerId: options.writerId,
    database: db,
    append(event) {
      if (closed) return Promise.reject(new AuditWriteError(new Error('the audit log is closed')));
      try {
        const json = JSON.stringify(event);
        const records = chain.extend([json]);
        const record = records[0]!;
        db.transaction(() => insert(chain.writer, { ...record, json }))();
        chain.advance(records);
        if (chain.unsealedCount >= sealEvery) seal();
        deliver({ writer: chain.writer, seq: record.seq, event, json });
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(new AuditWriteError(error));
      }
    },
    // Every record is in the database once its append resolved: nothing to bring in.
    index: () => (closed ? Promise.reject(new Error('the audit log is closed')) : Promise.resolve()),
    seal: async () => seal(),
    async close() {
      if (closed) return;
      closed = true;
      seal();
      db.close();
    },
  };
}
